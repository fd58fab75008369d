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

  @OptionGroup var bind: BindOptions

  func run() throws {
    let loaded = try Diagnostics.reporting(file: model) { try ModelLoader.load(model, bindings: bind.bindings) }
    try Diagnostics.reporting(file: output) { try ModelWriter.write(loaded, to: output) }
    print("wrote \(output): \(loaded.layers.count) layers, \(loaded.parameterCount) parameters")
  }
}
