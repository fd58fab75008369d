import CanonicalModel
import Foundation

/// Writes canonical models for `convert` and `quantize`.
enum ModelWriter {
  /// Writes `model` to `output` atomically; errors are ``CLIError``s naming `output`
  /// (a missing folder, an unwritable file) or the archive's own error.
  static func write(_ model: Model, to output: String) throws {
    let folder = URL(fileURLWithPath: output).deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw CLIError(file: output, message: "the folder \(folder) does not exist")
    }
    do {
      try ModelArchive.write(model, to: URL(fileURLWithPath: output), producer: "lstmc \(LSTMC.version)")
    } catch let error as SafetensorsError {
      throw error
    } catch {
      throw CLIError(file: output, message: "cannot write the file (\(error.localizedDescription))")
    }
  }
}
