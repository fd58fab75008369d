import ArgumentParser
import CanonicalModel
import FixtureFormat
import Foundation
import ONNXImport
import Verification

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

  /// A model file opened for import: an ONNX file decoded (its import waits for bindings), any other
  /// kind imported.
  enum Opened {
    case imported(Model)
    case onnx(ONNXModelFile)
  }

  /// Loads and validates the model at `path` with `bindings` (`--bind`); errors are ``CLIError``s naming
  /// `path` (or the binding file at fault).
  static func load(_ path: String, bindings: [BindOption] = []) throws -> Model {
    try loadBound(path, bindings: bindings).model
  }

  /// Loads the model at `path` with `bindings`, and, when `fixture` is given, binds from it every graph input
  /// that import needs as a constant (what `verify` does).
  static func loadBound(_ path: String, bindings: [BindOption], fixture: Fixture? = nil) throws -> BoundModel {
    let opened = try open(path)
    return try bind(
      opened, path: path, values: try bindingValues(bindings, opened: opened, path: path), fixture: fixture)
  }

  /// Imports an opened model with the bound `values` (and, given a `fixture`, the values it holds for the
  /// graph inputs import needs as constants). Import errors are thrown as they are (ONNXImportError).
  static func bind(_ opened: Opened, path: String, values: [String: ONNXTensor], fixture: Fixture? = nil) throws
    -> BoundModel
  {
    switch opened {
    case .imported(let model): return BoundModel(model: model)
    case .onnx(let file):
      return try BoundModel(
        file, fileName: URL(fileURLWithPath: path).lastPathComponent, bindings: values, fixture: fixture)
    }
  }

  /// Reads every `--bind` value; a name that is no graph input, or any binding of a model that is not ONNX, is
  /// an error naming the model, a file that cannot be read one naming the file.
  static func bindingValues(_ bindings: [BindOption], opened: Opened, path: String) throws -> [String: ONNXTensor] {
    guard !bindings.isEmpty else { return [:] }
    guard case .onnx(let file) = opened else {
      throw CLIError(
        file: path, message: "--bind freezes ONNX graph inputs; this is not an ONNX model, so it has none to bind")
    }
    let declared = file.graph.inputs.map(\.name)
    var values: [String: ONNXTensor] = [:]
    for binding in bindings {
      guard declared.contains(binding.name) else {
        throw CLIError(file: path, error: ONNXImportError.unknownBinding(name: binding.name, graphInputs: declared))
      }
      values[binding.name] = try BindingFile.read(binding, graphInputs: file.graph.runtimeInputs.map(\.name))
    }
    return values
  }

  /// Opens the model at `path`: ONNX files are decoded, every other kind imported and validated.
  static func open(_ path: String) throws -> Opened {
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
        return .imported(try IsolatedImporter.importModel(path))
      case .safetensors:
        return .imported(try ModelArchive.read(from: url))
      case .onnx:
        return .onnx(try ONNXModelFile(contentsOf: url))
      case .unknown:
        // Not HDF5, zip or safetensors: an ONNX ModelProto has no magic number, so try decoding one.
        do {
          return .onnx(try ONNXModelFile(contentsOf: url))
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
      // The reader's own bound, so that every header it would read is recognised as safetensors.
      if length > 1 && length <= UInt64(SafetensorsFile.maximumHeaderSize) { return .safetensors }
    }
    if path.lowercased().hasSuffix(".onnx") { return .onnx }
    return .unknown
  }
}
