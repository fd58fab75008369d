import CanonicalModel
import CodeGen
import FixtureFormat
import Foundation
import Verification

/// Fixtures as test cases for generated code.
enum FixtureTestCase {
  /// Reads the fixture at `path`, matches it against `model` and converts it: inputs and expected
  /// outputs in the model's order, batch first, the fixture's tolerance (or lstmc's default), named by the file name.
  static func load(_ path: String, model: Model) throws -> CTestCase {
    let fixture = try Fixture(contentsOf: URL(fileURLWithPath: path))
    let binding = try FixtureBinding(fixture: fixture, model: model)
    let tolerance = fixture.tolerance ?? .default
    return CTestCase(
      name: URL(fileURLWithPath: path).lastPathComponent, inputs: binding.inputs,
      expected: try binding.canonicalExpected(for: model),
      tolerance: (tolerance.abs, tolerance.rel))
  }
}
