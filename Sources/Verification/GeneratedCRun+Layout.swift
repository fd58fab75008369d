import CanonicalModel
import Foundation

extension GeneratedCRun {
  /// The canonical (batch-first) rank of each model output.
  static func canonicalRanks(of model: Model) -> [Int] {
    ((try? model.outputShapes()) ?? []).map(\.count)
  }

  /// Expected outputs in the model file's layout (``CanonicalModel/ModelOutput/fileAxes``) as the
  /// canonical tensors generated code computes per sample, batch first.
  static func canonicalExpected(_ expected: [Tensor], model: Model) throws -> [Tensor] {
    let ranks = canonicalRanks(of: model)
    return try zip(zip(expected, model.outputs), ranks).map { pair, rank in
      let (tensor, output) = pair
      guard let canonical = FileLayout.toCanonical(tensor, axes: output.fileAxes, canonicalRank: rank) else {
        throw FixtureError.mismatch("expected output '\(output.name)' has shape \(tensor.shape), which does not fit")
      }
      return canonical
    }
  }

  /// Canonical outputs laid out as the model file lays them out.
  static func fileOutputs(_ outputs: [Tensor], model: Model) -> [Tensor] {
    zip(outputs, model.outputs).map { FileLayout.toFile($0, axes: $1.fileAxes) }
  }

  /// Generates, builds and runs like ``run(model:inputs:expected:tolerance:target:in:)`` with the
  /// expected outputs and the returned outputs in the model file's layout.
  static func runInFileLayout(
    model: Model, inputs: [Tensor], expected: [Tensor], tolerance: Tolerance, target: VerificationTarget,
    in folder: URL
  ) throws -> Outcome {
    let canonical = try canonicalExpected(expected, model: model)
    var outcome =
      GeneratedSwiftRun.handles(target)
      ? try GeneratedSwiftRun.run(
        model: model, inputs: inputs, expected: canonical, tolerance: tolerance, target: target, in: folder)
      : try run(model: model, inputs: inputs, expected: canonical, tolerance: tolerance, target: target, in: folder)
    outcome.outputs = fileOutputs(outcome.outputs, model: model)
    return outcome
  }
}
