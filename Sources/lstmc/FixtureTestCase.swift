import CanonicalModel
import CodeGen
import FixtureFormat
import Foundation
import Verification

/// Fixtures as test cases for generated code.
enum FixtureTestCase {
  /// Reads the fixture at `path`, matches it against `bound`'s model (without the values of its bound
  /// inputs) and converts it: inputs and expected outputs in the model's order, batch first, the fixture's
  /// tolerance (or lstmc's default; ``Tolerance/quantized`` for a quantized model), named by the file name.
  static func load(_ path: String, model bound: BoundModel) throws -> CTestCase {
    let model = bound.model
    let fixture = bound.fitting(try Fixture(contentsOf: URL(fileURLWithPath: path)))
    let binding = try FixtureBinding(fixture: fixture, model: model)
    // A quantized model is judged as verify judges it: a fixture's tolerance describes float agreement.
    let tolerance = model.quantization != nil ? Tolerance.quantized : fixture.tolerance ?? .default
    return CTestCase(
      name: URL(fileURLWithPath: path).lastPathComponent, inputs: binding.inputs,
      expected: try binding.canonicalExpected(for: model),
      tolerance: (tolerance.abs, tolerance.rel))
  }
}
