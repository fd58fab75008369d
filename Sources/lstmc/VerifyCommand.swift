import ArgumentParser
import CanonicalModel
import FixtureFormat
import Foundation
import Verification

/// `lstmc verify MODEL --fixture FIXTURE... [--target T] [--abs X] [--rel Y] [--json]`.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check the model's outputs against fixtures made by the original framework.",
    discussion: "Exit code 0 when every output of every fixture is within tolerance on every target, 1 when not.")

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

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  struct Result: Codable {
    var model: String
    var passed: Bool
    var reports: [FixtureReport]
  }

  func validate() throws {
    guard !fixtures.isEmpty else { throw ValidationError("Missing expected argument '--fixture <fixture>'.") }
    if let absTolerance, !(absTolerance >= 0) { throw ValidationError("--abs must be a non-negative number.") }
    if let relTolerance, !(relTolerance >= 0) { throw ValidationError("--rel must be a non-negative number.") }
  }

  func run() throws {
    let loaded = try Diagnostics.reporting(file: model) { try ModelLoader.load(model) }
    let verifier = Verifier(model: loaded, absOverride: absTolerance, relOverride: relTolerance)
    let chosen = TargetOption.expand(targets.isEmpty ? [.one(.interpreter)] : targets)
    for target in chosen {
      try Diagnostics.reporting(file: model) {
        guard VerificationTarget.available.contains(target) else { throw VerificationError.targetUnavailable(target) }
        try target.requireTools()
      }
    }
    let loadedFixtures = try fixtures.map { path in
      try Diagnostics.reporting(file: path) {
        let fixture = try Fixture(contentsOf: URL(fileURLWithPath: path))
        _ = try FixtureBinding(fixture: fixture, model: loaded)
        return (path, fixture)
      }
    }
    var reports: [FixtureReport] = []
    for target in chosen {
      for (path, fixture) in loadedFixtures {
        reports.append(
          try Diagnostics.reporting(file: path) { try verifier.verify(fixture, on: target, fixtureName: path) })
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
