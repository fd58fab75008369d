import ArgumentParser
import CanonicalModel
import Foundation

/// `lstmc convert MODEL -o OUT.safetensors`.
struct ConvertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Write the canonical gate-separated model as .safetensors.")

  @Argument(help: ModelLoader.argumentHelp)
  var model: String

  @Option(name: .shortAndLong, help: "The .safetensors file to write (written atomically).")
  var output: String

  func run() throws {
    let loaded = try Diagnostics.reporting(file: model) { try ModelLoader.load(model) }
    try Diagnostics.reporting(file: output) {
      let folder = URL(fileURLWithPath: output).deletingLastPathComponent().path
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw CLIError(file: output, message: "the folder \(folder) does not exist")
      }
      do {
        try ModelArchive.write(loaded, to: URL(fileURLWithPath: output), producer: "lstmc \(LSTMC.version)")
      } catch let error as SafetensorsError {
        throw error
      } catch {
        throw CLIError(file: output, message: "cannot write the file (\(error.localizedDescription))")
      }
    }
    print("wrote \(output): \(loaded.layers.count) layers, \(loaded.parameterCount) parameters")
  }
}
