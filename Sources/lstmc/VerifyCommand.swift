import ArgumentParser
import CanonicalModel
import FixtureFormat
import Foundation
import ONNXImport
import Targets
import Verification

/// `lstmc verify MODEL --fixture FIXTURE... [--target T] [--abs X] [--rel Y] [--json]`.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check the model's outputs against fixtures made by the original framework.",
    discussion: """
      Exit code 0 when every output of every fixture is within tolerance on every target, 1 when not. \
      An ONNX graph input that must be constant (an LSTM's or GRU's W, R, B or P, a weight) and is not bound \
      with --bind is bound from each fixture that holds its value; the report names the inputs so bound. \
      Initial states and sequence lengths given as graph inputs stay model inputs.
      """)

  @Argument(help: ModelLoader.argumentHelp)
  var model: String

  @Option(
    name: .customLong("fixture"),
    help: "A fixture (lstmc-fixture-1 JSON, or an ONNX test_data_set_N folder); may be given more than once.")
  var fixtures: [String] = []

  @Option(
    name: .customLong("target"),
    help: ArgumentHelp(
      "Where to run the model; may be given more than once. `all` runs every target this build supports.",
      valueName: TargetOption.allValueStrings.joined(separator: "|")))
  var targets: [TargetOption] = []

  @Option(name: .customLong("abs"), help: "Absolute tolerance (overrides the fixture's).")
  var absTolerance: Double?

  @Option(name: .customLong("rel"), help: "Relative tolerance (overrides the fixture's).")
  var relTolerance: Double?

  @Option(
    name: .customLong("target-core"),
    help: ArgumentHelp(
      "The gate-product layout of the generated C on every C target (default: each target's own: cortex-m4 on "
        + "c-cortex-m4, cortex-m3 on c-cortex-m3, host on c).",
      valueName: TargetCoreOption.valueNames))
  var targetCore: String?

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var bind: BindOptions

  struct Result: Codable {
    var model: String
    var passed: Bool
    var reports: [FixtureReport]
  }

  func validate() throws {
    guard !fixtures.isEmpty else { throw ValidationError("Missing expected argument '--fixture <fixture>'.") }
    if let absTolerance, !(absTolerance >= 0) { throw ValidationError("--abs must be a non-negative number.") }
    if let relTolerance, !(relTolerance >= 0) { throw ValidationError("--rel must be a non-negative number.") }
    _ = try TargetCoreOption.parse(targetCore)
  }

  func run() throws {
    let opened = try Diagnostics.reporting(file: model) { try ModelLoader.open(model) }
    let values = try Diagnostics.reporting(file: model) {
      try ModelLoader.bindingValues(bind.bindings, opened: opened, path: model)
    }
    // One model for every fixture, unless import needs graph inputs as constants: then each fixture binds them.
    let shared: BoundModel? = try Diagnostics.reporting(file: model) {
      do {
        return try ModelLoader.bind(opened, path: model, values: values)
      } catch ONNXImportError.graphInputNotConstant {
        return nil
      }
    }
    let chosen = TargetOption.expand(targets.isEmpty ? [.one(.interpreter)] : targets)
    for target in chosen {
      try Diagnostics.reporting(file: model) {
        guard VerificationTarget.available.contains(target) else { throw VerificationError.targetUnavailable(target) }
        try target.requireTools()
      }
    }
    let loadedFixtures = try fixtures.map { path in
      let fixture = try Diagnostics.reporting(file: path) { try Fixture(contentsOf: URL(fileURLWithPath: path)) }
      let bound =
        try shared
        ?? Diagnostics.reporting(file: model) {
          try ModelLoader.bind(opened, path: model, values: values, fixture: fixture)
        }
      let fitted = bound.fitting(fixture)
      try Diagnostics.reporting(file: path) { _ = try FixtureBinding(fixture: fitted, model: bound.model) }
      return (path, fitted, bound)
    }
    var reports: [FixtureReport] = []
    for target in chosen {
      for (path, fixture, bound) in loadedFixtures {
        let verifier = Verifier(
          model: bound.model, absOverride: absTolerance, relOverride: relTolerance,
          targetCore: try TargetCoreOption.parse(targetCore))
        var report = try Diagnostics.reporting(file: path) {
          try verifier.verify(fixture, on: target, fixtureName: path)
        }
        report.bound = bound.boundFromFixture
        reports.append(report)
      }
    }
    let passed = reports.allSatisfy(\.passed)
    if json {
      print(try JSONOutput.string(Result(model: model, passed: passed, reports: reports)))
    } else {
      print(ReportFormatter.text(reports))
    }
    if !passed { throw ExitCode(1) }
  }
}
