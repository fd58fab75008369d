import CanonicalModel
import CodeGen
import FixtureFormat
import Foundation

extension GeneratedCRun {
  /// Expected outputs in the model file's layout as the canonical tensors generated code computes.
  static func canonicalExpected(_ expected: [Tensor], model: Model) throws -> [Tensor] {
    try FixtureBinding.canonicalExpected(expected, model: model)
  }

  /// Canonical outputs laid out as the model file lays them out.
  static func fileOutputs(_ outputs: [Tensor], model: Model) -> [Tensor] {
    zip(outputs, model.outputs).map { FileLayout.toFile($0, axes: $1.fileAxes) }
  }

  /// Generates, builds and runs like ``run(model:inputs:expected:tolerance:target:in:)`` with the
  /// expected outputs and the returned outputs in the model file's layout.
  package static func runInFileLayout(
    model: Model, inputs: [Tensor], expected: [Tensor], tolerance: Tolerance, target: VerificationTarget,
    in folder: URL, targetCore: TargetCore? = nil
  ) throws -> Outcome {
    let canonical = try canonicalExpected(expected, model: model)
    var outcome =
      GeneratedSwiftRun.handles(target)
      ? try GeneratedSwiftRun.run(
        model: model, inputs: inputs, expected: canonical, tolerance: tolerance, target: target, in: folder)
      : try run(
        model: model, inputs: inputs, expected: canonical, tolerance: tolerance, target: target, in: folder,
        targetCore: targetCore)
    outcome.outputs = fileOutputs(outcome.outputs, model: model)
    return outcome
  }
}
