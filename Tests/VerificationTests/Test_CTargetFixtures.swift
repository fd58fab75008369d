import CanonicalModel
import FixtureFormat
import Foundation
import KerasImport
import Testing

@testable import Targets
@testable import Verification

/// Every Keras fixture verifies on generated C: built with the host's `cc`, and
/// (when `arm-none-eabi-gcc`, newlib and `qemu-system-arm` are installed, as in
/// CI) cross-compiled for a Cortex-M4F and a Cortex-M3 and run under qemu.
@Suite struct CTargetFixtureTests {
  static let fixtures = FixtureFiles.kerasFixtures()

  static func verify(_ url: URL, on target: VerificationTarget) throws {
    let fixture = try Fixture(contentsOf: url)
    let modelURL = try #require(fixture.modelURL, "fixture \(url.lastPathComponent) names no model")
    let model = try KerasImporter.importModel(at: modelURL)
    let report = try Verifier(model: model).verify(fixture, on: target, fixtureName: url.lastPathComponent)
    #expect(report.target == target.rawValue)
    #expect(report.passed, "\(ReportFormatter.text([report]))")
  }

  @Test(arguments: fixtures)
  func fixtureVerifiesOnHostC(url: URL) throws {
    try Self.verify(url, on: .c)
  }

  @Test(.enabled(if: CBuildSupport.canRunCortexM), arguments: fixtures)
  func fixtureVerifiesOnCortexM4(url: URL) throws {
    try Self.verify(url, on: .cCortexM4)
  }

  /// The M3 runs the same C as the M4F with soft float: a covering subset (``FixtureFiles/kerasCover``).
  @Test(.enabled(if: CBuildSupport.canRunCortexM), arguments: FixtureFiles.kerasCover)
  func fixtureVerifiesOnCortexM3(url: URL) throws {
    try Self.verify(url, on: .cCortexM3)
  }

  /// Fast math on the boards too: the fixture's own values, checked by the test program under qemu
  /// (a covering subset, ``FixtureFiles/kerasCover``; host C runs every fixture in fast math).
  @Test(
    .enabled(if: CBuildSupport.canRunCortexM),
    arguments: FixtureFiles.kerasCover, [VerificationTarget.cCortexM4, .cCortexM3])
  func fixtureVerifiesOnCortexMInFastMath(url: URL, target: VerificationTarget) throws {
    let fixture = try Fixture(contentsOf: url)
    let model = try KerasImporter.importModel(at: try #require(fixture.modelURL))
    let binding = try FixtureBinding(fixture: fixture, model: model)
    let folder = try CBuildSupport.scratch("m4-fast")
    defer { CBuildSupport.remove(folder) }
    let outcome = try GeneratedCRun.run(
      model: model, inputs: binding.inputs, expected: try binding.canonicalExpected(for: model),
      tolerance: fixture.tolerance ?? .default, target: target, in: folder, math: .fast)
    #expect(outcome.programPassed, "\(outcome.failureLines)")
  }

  /// A wrong expected value fails numerically on generated C too, and the
  /// program's own check agrees (else verify would throw).
  @Test func aWrongExpectedValueFailsOnC() throws {
    let url = FixtureFiles.keras.appendingPathComponent("k2_basic.fixture.json")
    var fixture = try Fixture(contentsOf: url)
    let model = try KerasImporter.importModel(at: try #require(fixture.modelURL))
    fixture.outputs[0].values[1] += 0.01
    let report = try Verifier(model: model).verify(fixture, on: .c, fixtureName: "perturbed")
    #expect(!report.passed)
    #expect(report.outputs[0].failures == 1)
    #expect(report.outputs[0].worstIndex == [0, 1])
  }

  /// `Verifier.run` on a C target returns what the generated code computes.
  @Test func runOnCMatchesTheInterpreter() throws {
    let url = FixtureFiles.keras.appendingPathComponent("k2_state_seq.fixture.json")
    let fixture = try Fixture(contentsOf: url)
    let model = try KerasImporter.importModel(at: try #require(fixture.modelURL))
    let inputs = try FixtureBinding.inputs(of: fixture, model: model)
    let reference = try Verifier.run(model: model, inputs: inputs, on: .interpreter)
    let generated = try Verifier.run(model: model, inputs: inputs, on: .c)
    #expect(generated.map(\.shape) == reference.map(\.shape))
    for (a, b) in zip(generated, reference) {
      for (x, y) in zip(a.data, b.data) { #expect(Swift.abs(x - y) <= 1e-5 + 1e-4 * Swift.abs(y)) }
    }
  }
}
