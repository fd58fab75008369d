import CanonicalModel
import CodeGen
import FixtureFormat
import Interpreter
import Quantization
import Targets

/// Checks a model against fixtures on a target.
public struct Verifier: Sendable {
  /// The model under test.
  public var model: Model
  /// A tolerance that overrides the fixture's, part by part (from `--abs` / `--rel`).
  public var absOverride: Double?
  /// See ``absOverride``.
  public var relOverride: Double?
  /// The layout generated C uses (`--target-core`); `nil`: each C target's own (the emulated
  /// core's on `c-cortex-m4` and `c-cortex-m3`, the host's on `c`).
  public var targetCore: TargetCore?

  /// Creates a verifier.
  public init(model: Model, absOverride: Double? = nil, relOverride: Double? = nil, targetCore: TargetCore? = nil) {
    self.model = model
    self.absOverride = absOverride
    self.relOverride = relOverride
    self.targetCore = targetCore
  }

  /// The tolerance that applies to `fixture`: command line over fixture over default; for a
  /// quantized model, command line over ``Tolerance/quantized`` (a fixture's tolerance describes
  /// float agreement).
  public func tolerance(for fixture: Fixture) -> Tolerance {
    let base = model.quantization != nil ? .quantized : fixture.tolerance ?? .default
    return Tolerance(abs: absOverride ?? base.abs, rel: relOverride ?? base.rel)
  }

  /// Runs `fixture`'s inputs on `target` and compares every output.
  ///
  /// Generated-code targets (`c`, `c-cortex-m4`, `c-cortex-m3`) generate C with
  /// the fixture as its test case, build and run it, and are judged on the
  /// values the program printed, exactly as the interpreter is judged; the
  /// program's own PASS/FAIL must agree.
  ///
  /// - Throws: ``FixtureError`` when the fixture does not fit the model,
  ///   ``VerificationError`` when the target cannot run.
  public func verify(_ fixture: Fixture, on target: VerificationTarget, fixtureName: String) throws -> FixtureReport {
    let binding = try FixtureBinding(fixture: fixture, model: model)
    let tolerance = tolerance(for: fixture)
    guard GeneratedCRun.cTarget(for: target) != nil || GeneratedSwiftRun.handles(target) else {
      let actual = try Self.run(model: model, inputs: binding.inputs, on: target)
      return try report(actual, binding: binding, fixture: fixture, target: target, fixtureName: fixtureName)
    }
    try target.requireTools()
    let expected = binding.expected.map { Tensor(shape: $0.shape, data: $0.values.map { Float($0) }) }
    let folder = try BuildFolder(label: "verify-\(target.rawValue)")
    var failed = true
    defer { folder.finish(failed: failed) }
    do {
      let outcome = try GeneratedCRun.runInFileLayout(
        model: model, inputs: binding.inputs, expected: expected, tolerance: tolerance, target: target,
        in: folder.url, targetCore: targetCore)
      let report = try report(
        outcome.outputs, binding: binding, fixture: fixture, target: target, fixtureName: fixtureName)
      guard outcome.programPassed == report.passed else {
        let program =
          outcome.programPassed
          ? "says PASS" : "says FAIL (\(outcome.failureLines.prefix(3).joined(separator: "; ")))"
        throw VerificationError.targetFailed(
          target: target,
          reason: "the generated test program \(program) but its printed values are "
            + (report.passed ? "all within tolerance" : "not all within tolerance"))
      }
      failed = !report.passed
      return report
    } catch {
      throw folder.annotate(error, target: target)
    }
  }

  /// Compares `actual` with the fixture's expected outputs.
  private func report(
    _ actual: [Tensor], binding: FixtureBinding, fixture: Fixture, target: VerificationTarget, fixtureName: String
  ) throws -> FixtureReport {
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
      var comparison = OutputComparison(
        name: output.name, shape: tensor.shape, actual: tensor.data, expected: expected.values, tolerance: tolerance)
      if model.quantization != nil { comparison.addStatistics(actual: tensor.data, expected: expected.values) }
      comparisons.append(comparison)
    }
    return FixtureReport(
      fixture: fixtureName, target: target.rawValue,
      producer: "\(fixture.producer.framework) \(fixture.producer.version)", tolerance: tolerance,
      outputs: comparisons)
  }

  /// Runs `inputs` (canonical, as ``FixtureBinding/inputs``) through `model` on `target`;
  /// the outputs are in the model file's layout (``CanonicalModel/ModelOutput/fileAxes``).
  ///
  /// On a generated-code target the interpreter's outputs serve as the test
  /// program's expected values (its verdict is not looked at here).
  public static func run(model: Model, inputs: [Tensor], on target: VerificationTarget) throws -> [Tensor] {
    switch target {
    case .interpreter:
      do {
        // A quantized model runs on the integer reference.
        let outputs =
          model.quantization != nil
          ? try IntegerInterpreter(model: model).run(inputs) : try Interpreter(model: model).run(inputs)
        return zip(outputs, model.outputs).map {
          FileLayout.toFile($0, axes: $1.fileAxes)
        }
      } catch let error as InterpreterError {
        throw FixtureError.mismatch(error.description)
      } catch let error as QuantizationError {
        throw FixtureError.mismatch(error.description)
      }
    case .c, .cCortexM4, .cCortexM3, .swift, .swiftCortexM4:
      try target.requireTools()
      let expected = try run(model: model, inputs: inputs, on: .interpreter)
      let folder = try BuildFolder(label: "run-\(target.rawValue)")
      var failed = true
      defer { folder.finish(failed: failed) }
      do {
        let outcome = try GeneratedCRun.runInFileLayout(
          model: model, inputs: inputs, expected: expected, tolerance: .default, target: target, in: folder.url)
        failed = false
        return outcome.outputs
      } catch {
        throw folder.annotate(error, target: target)
      }
    }
  }
}
