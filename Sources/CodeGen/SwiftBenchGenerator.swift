import CanonicalModel
import Foundation

/// Generates the Embedded Swift program `lstmc bench --target swift-cortex-m4` builds: the model's
/// own `NAME.swift` (exactly what ``SwiftCodeGenerator`` writes) and a `main.swift` harness (from
/// `templates/swift/bench/bench_mcu.swift.stencil`) that runs `step` or `predict` once for a
/// given number of steps, for the instructions to be counted outside the emulated core.
public enum SwiftBenchGenerator {
  static let template = "bench/bench_mcu.swift.stencil"

  /// What the harness runs.
  public enum Mode: String, Sendable {
    /// A reset, then `steps` calls of `step`.
    case step
    /// One `predict` of `steps` steps.
    case predict
  }

  /// `NAME.swift` and `main.swift` running `mode` for `steps` steps, with input made for
  /// `maxSteps` steps.
  ///
  /// - Throws: ``CodeGenError`` as ``SwiftCodeGenerator/generate(_:testCases:options:)`` does, and
  ///   ``CodeGenError.unsupportedModel(_:)`` for a model whose `reset` or `predict` takes initial states
  ///   or a batch index, or `step` mode for a model without `step`.
  public static func generate(
    _ model: Model, options: CGenerationOptions, mode: Mode, steps: Int, maxSteps: Int
  ) throws -> [GeneratedFile] {
    let files = try SwiftCodeGenerator.generate(model, testCases: [], options: options)
    var lowering = try CModelLowering(model: model, options: options)
    lowering.formatsValues = false
    let lowered = try lowering.lower(testCases: [])
    guard lowered.fixedBatch == 0, lowered.stateInputs.isEmpty else {
      throw CodeGenError.unsupportedModel(
        "the Swift benchmark harness runs models whose reset takes no arguments; this one takes initial "
          + "states or a batch index (bench --target c-cortex-m4 handles it)")
    }
    guard mode == .predict || lowered.canStream else {
      throw CodeGenError.unsupportedModel("the model has no step (a backward or Bidirectional layer)")
    }
    let context = Context(
      typeName: SwiftCodeGenerator.typeName(options.name), mode: mode.rawValue, steps: steps, maxSteps: maxSteps,
      inputType: lowered.input.isIndex ? "Int32" : "Float", isIndex: lowered.input.isIndex,
      vocabulary: lowered.embedding?.vocabulary ?? 1,
      outputs: lowered.outputs.map { Context.Output(index: $0.index, isSequence: $0.isSequence) })
    let renderer = try TemplateRenderer(userFolder: options.templatesDirectory, language: "swift")
    let harness = try renderer.render(template, context: try ContextEncoding.dictionary(context))
    return files + [GeneratedFile(name: "main.swift", contents: harness)]
  }

  /// The template's context.
  struct Context: Encodable {
    struct Output: Encodable {
      var index: Int
      var isSequence: Bool
    }
    var typeName: String
    var mode: String
    var steps: Int
    var maxSteps: Int
    var inputType: String
    var isIndex: Bool
    var vocabulary: Int
    var outputs: [Output]
  }
}
