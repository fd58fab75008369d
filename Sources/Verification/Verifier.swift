import CanonicalModel
import Interpreter

/// Checks a model against fixtures on a target.
public struct Verifier: Sendable {
  /// The model under test.
  public var model: Model
  /// A tolerance that overrides the fixture's, part by part (from `--abs` / `--rel`).
  public var absOverride: Double?
  /// See ``absOverride``.
  public var relOverride: Double?

  /// Creates a verifier.
  public init(model: Model, absOverride: Double? = nil, relOverride: Double? = nil) {
    self.model = model
    self.absOverride = absOverride
    self.relOverride = relOverride
  }

  /// The tolerance that applies to `fixture`: command line over fixture over default.
  public func tolerance(for fixture: Fixture) -> Tolerance {
    let base = fixture.tolerance ?? .default
    return Tolerance(abs: absOverride ?? base.abs, rel: relOverride ?? base.rel)
  }

  /// Runs `fixture`'s inputs on `target` and compares every output.
  ///
  /// - Throws: ``FixtureError`` when the fixture does not fit the model,
  ///   ``VerificationError`` when the target cannot run.
  public func verify(_ fixture: Fixture, on target: VerificationTarget, fixtureName: String) throws -> FixtureReport {
    let binding = try FixtureBinding(fixture: fixture, model: model)
    let actual = try Self.run(model: model, inputs: binding.inputs, on: target)
    guard actual.count == binding.expected.count else {
      throw VerificationError.targetFailed(
        target: target, reason: "produced \(actual.count) outputs, expected \(binding.expected.count)")
    }
    let tolerance = tolerance(for: fixture)
    var comparisons: [OutputComparison] = []
    for ((tensor, expected), output) in zip(zip(actual, binding.expected), model.outputs) {
      guard tensor.shape == expected.shape else {
        throw FixtureError.mismatch(
          "output '\(expected.name)' has shape \(expected.shape), the model computes \(tensor.shape) for '\(output.name)'"
        )
      }
      comparisons.append(
        OutputComparison(
          name: output.name, shape: tensor.shape, actual: tensor.data, expected: expected.values, tolerance: tolerance))
    }
    return FixtureReport(
      fixture: fixtureName, target: target.rawValue,
      producer: "\(fixture.producer.framework) \(fixture.producer.version)", tolerance: tolerance,
      outputs: comparisons)
  }

  /// Runs `inputs` through `model` on `target`.
  public static func run(model: Model, inputs: [Tensor], on target: VerificationTarget) throws -> [Tensor] {
    switch target {
    case .interpreter:
      do {
        return try Interpreter(model: model).run(inputs)
      } catch let error as InterpreterError {
        throw FixtureError.mismatch(error.description)
      }
    default:
      throw VerificationError.targetUnavailable(target)
    }
  }
}
