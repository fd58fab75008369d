import ArgumentParser
import CanonicalModel
import FixtureFormat
import Foundation
import Verification

/// `lstmc run MODEL --input FIXTURE [--json]`.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run the interpreter on a fixture's inputs and print the outputs.")

  @Argument(help: ModelLoader.argumentHelp)
  var model: String

  @Option(
    help:
      "A fixture (lstmc-fixture-1 JSON, or an ONNX test_data_set_N folder) whose inputs to run; its outputs are ignored."
  )
  var input: String

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var bind: BindOptions

  struct OutputValue: Codable {
    var name: String
    var shape: [Int]
    var data: [Float]
  }

  func run() throws {
    let bound = try Diagnostics.reporting(file: model) { try ModelLoader.loadBound(model, bindings: bind.bindings) }
    let loaded = bound.model
    let inputs = try Diagnostics.reporting(file: input) {
      try FixtureBinding.inputs(of: bound.fitting(try Fixture(contentsOf: URL(fileURLWithPath: input))), model: loaded)
    }
    let outputs = try Diagnostics.reporting(file: input) {
      try Verifier.run(model: loaded, inputs: inputs, on: .interpreter)
    }
    let values = zip(loaded.outputs, outputs).map { OutputValue(name: $0.name, shape: $1.shape, data: $1.data) }
    if json {
      print(try JSONOutput.string(["outputs": values]))
      return
    }
    for value in values {
      print("\(value.name) [\(value.shape.map(String.init).joined(separator: ", "))]")
      let rowLength = value.shape.last ?? 1
      var row: [String] = []
      for (index, element) in value.data.enumerated() {
        row.append(String(format: "%.9g", Double(element)))
        if (index + 1) % max(rowLength, 1) == 0 {
          print("  " + row.joined(separator: " "))
          row.removeAll()
        }
      }
      if !row.isEmpty { print("  " + row.joined(separator: " ")) }
    }
  }
}
