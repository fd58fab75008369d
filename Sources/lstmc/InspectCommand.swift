import ArgumentParser
import Foundation

/// `lstmc inspect MODEL [--json]`.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Print the canonical model: layers, sizes, gate layout, parameter count, memory estimate.")

  @Argument(help: ModelLoader.argumentHelp)
  var model: String

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var bind: BindOptions

  func run() throws {
    let summary = try Diagnostics.reporting(file: model) {
      try ModelSummary(model: try ModelLoader.load(model, bindings: bind.bindings), file: model)
    }
    if json {
      print(try JSONOutput.string(summary))
    } else {
      print(summary.text)
    }
  }
}
