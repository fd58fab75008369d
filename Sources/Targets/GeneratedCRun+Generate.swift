import CanonicalModel
import CodeGen
import FixtureFormat
import Foundation

extension GeneratedCRun {
  /// The symbol prefix and file name of the C lstmc generates to verify a model.
  static let programName = "lstmc_model"

  /// The sequence buffers a verification build needs: the longest input sequence, at least 128.
  static func maxSteps(for inputs: [Tensor]) -> Int {
    max(128, inputs.map { $0.shape.count >= 2 ? $0.shape[1] : 0 }.max() ?? 0)
  }

  /// The layout a build for `target` uses unless told otherwise: the emulated core's own, else the host's.
  static func defaultCore(for target: VerificationTarget) -> TargetCore {
    switch target {
    case .cCortexM4: return .cortexM4
    case .cCortexM3: return .cortexM3
    default: return .host
    }
  }

  /// Generates `NAME.h`, `NAME.c` and `NAME_test.c` for `model`, with one test case, in
  /// `targetCore`'s layout (default: ``defaultCore(for:)``).
  ///
  /// - Throws: ``VerificationError/targetFailed(target:reason:)`` when the generator cannot handle the model.
  static func generate(
    model: Model, inputs: [Tensor], expected: [Tensor], tolerance: Tolerance, target: VerificationTarget,
    math: MathMode = .exact, targetCore: TargetCore? = nil
  ) throws -> [(name: String, contents: String)] {
    let options = CGenerationOptions(
      name: programName, maxSteps: maxSteps(for: inputs), math: math,
      targetCore: targetCore ?? defaultCore(for: target),
      commandLine: "lstmc verify --target \(target.rawValue)", toolVersion: LSTMCVersion.current)
    let testCase = CTestCase(
      name: "fixture", inputs: inputs, expected: expected, tolerance: (abs: tolerance.abs, rel: tolerance.rel))
    do {
      return try CCodeGenerator.generate(model, testCases: [testCase], options: options).map {
        (name: $0.name, contents: $0.contents)
      }
    } catch let error as CodeGenError {
      throw VerificationError.targetFailed(target: target, reason: "cannot generate C: \(error.description)")
    }
  }
}
