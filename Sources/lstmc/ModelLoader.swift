import ArgumentParser
import CanonicalModel
import Foundation
import ONNXImport

/// Loads any model file the CLI accepts, recognising its kind from its first bytes.
enum ModelLoader {
  /// The kinds of model file lstmc can tell apart.
  enum Kind {
    case hdf5, zip, safetensors, onnx, unknown
  }

  static let supported =
    "supported: Keras HDF5 (.h5/.hdf5, Keras 2 and 3), Keras 3 native (.keras), ONNX (.onnx: PyTorch, tf2onnx or "
    + "hand-written), lstmc canonical model (.safetensors)"

  /// The help text of every command's model argument.
  static let argumentHelp = ArgumentHelp(
    "The model file: Keras .h5 or .keras, ONNX .onnx, or lstmc .safetensors (recognised by its content).")

  /// Loads and validates the model at `path`; errors are ``CLIError``s naming `path`.
  static func load(_ path: String) throws -> Model {
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw CLIError(file: path, message: "no such file")
    }
    guard !isDirectory.boolValue else { throw CLIError(file: path, message: "is a directory, not a model file") }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw CLIError(file: path, message: "cannot be read (permission denied?)")
    }
    let head = handle.readData(ofLength: 16)
    try? handle.close()
    guard !head.isEmpty else { throw CLIError(file: path, message: "the file is empty; \(supported)") }
    do {
      switch kind(of: [UInt8](head), path: path) {
      case .hdf5, .zip:
        return try IsolatedImporter.importModel(path)
      case .safetensors:
        return try ModelArchive.read(from: url)
      case .onnx:
        return try ONNXImporter.importModel(at: url)
      case .unknown:
        // Not HDF5, zip or safetensors: an ONNX ModelProto has no magic number, so try decoding one.
        do {
          return try ONNXImporter.importModel(at: url)
        } catch ONNXImportError.notAModel {
          throw CLIError(file: path, message: "unknown model file kind (unrecognised first bytes); \(supported)")
        }
      }
    } catch {
      throw CLIError(file: path, error: error)
    }
  }

  /// Recognises a file from its first bytes (and, for ONNX only, its extension).
  static func kind(of head: [UInt8], path: String) -> Kind {
    if head.starts(with: [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]) { return .hdf5 }
    if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .zip }
    if head.count >= 9, head[8] == UInt8(ascii: "{") {
      var length: UInt64 = 0
      for index in (0..<8).reversed() { length = length << 8 | UInt64(head[index]) }
      if length > 1 && length < 100_000_000 { return .safetensors }
    }
    if path.lowercased().hasSuffix(".onnx") { return .onnx }
    return .unknown
  }
}
