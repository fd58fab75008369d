import CanonicalModel
import FixtureFormat
import Foundation
import KerasImport
import Targets
import Testing
import Verification

/// Every Keras fixture verifies on generated Swift: built with `swiftc -O` on the host, and (when
/// `arm-none-eabi-gcc`, newlib and `qemu-system-arm` are installed, as in CI) built as Embedded Swift
/// for a Cortex-M4F, linked with the C target's startup code and run under qemu.
@Suite struct SwiftTargetFixtureTests {
  static let fixtures = FixtureFiles.kerasFixtures()

  static var hasSwiftc: Bool { (try? VerificationTarget.swift.requireTools()) != nil }

  /// Host Swift renders the lowering every C target runs on all fixtures: a covering subset
  /// (``FixtureFiles/kerasCover``), like Embedded Swift, to keep CI within its 25 minutes.
  @Test(.enabled(if: hasSwiftc), arguments: FixtureFiles.kerasCover)
  func fixtureVerifiesOnHostSwift(url: URL) throws {
    try CTargetFixtureTests.verify(url, on: .swift)
  }

  /// Embedded Swift compiles the same source as host Swift: a covering subset (``FixtureFiles/kerasCover``).
  @Test(.enabled(if: hasSwiftc && CBuildSupport.canRunCortexM), arguments: FixtureFiles.kerasCover)
  func fixtureVerifiesOnEmbeddedSwiftCortexM4(url: URL) throws {
    try CTargetFixtureTests.verify(url, on: .swiftCortexM4)
  }

  /// A wrong expected value fails numerically on generated Swift too, and the program's own check agrees.
  @Test(.enabled(if: hasSwiftc)) func aWrongExpectedValueFailsOnSwift() throws {
    let url = FixtureFiles.keras.appendingPathComponent("k2_basic.fixture.json")
    var fixture = try Fixture(contentsOf: url)
    let model = try KerasImporter.importModel(at: try #require(fixture.modelURL))
    fixture.outputs[0].values[1] += 0.01
    let report = try Verifier(model: model).verify(fixture, on: .swift, fixtureName: "perturbed")
    #expect(!report.passed)
    #expect(report.outputs[0].failures == 1)
  }

  @Test func swiftTargetsAreAvailable() {
    #expect(VerificationTarget.available.contains(.swift))
    #expect(VerificationTarget.available.contains(.swiftCortexM4))
  }
}
