import CanonicalModel
import Foundation

/// Generates dependency-free C99 for a canonical model.
///
/// The pipeline: ``CModelLowering`` turns the model into a typed, `Encodable` context (weights
/// packed into the generated layouts, buffers chosen, floats spelled exactly), the context is
/// converted to `[String: Any]` through JSON, and `templates/c/*.stencil` render it.
///
/// ```swift
/// let files = try CCodeGenerator.generate(model, testCases: [], options: CGenerationOptions(name: "kws"))
/// // kws.h, kws.c
/// ```
public enum CCodeGenerator {
  /// The template of each generated file.
  static let headerTemplate = "header.h.stencil"
  static let sourceTemplate = "source.c.stencil"
  static let testTemplate = "test.c.stencil"
  /// The header and source of a quantized model's integer inference (the test program is the same).
  static let integerHeaderTemplate = "integer_header.h.stencil"
  static let integerSourceTemplate = "integer_source.c.stencil"

  /// `NAME.h`, `NAME.c` and, when `testCases` is not empty, `NAME_test.c`.
  ///
  /// - Throws: ``CodeGenError`` for a bad name or option, an invalid or unsupported model, a test
  ///   case that does not fit the model, or a template that is missing or fails.
  public static func generate(_ model: Model, testCases: [CTestCase], options: CGenerationOptions) throws
    -> [GeneratedFile]
  {
    var lowering = try CModelLowering(model: model, options: options)
    let context = try lowering.lower(testCases: testCases)
    var dictionary = try ContextEncoding.dictionary(context)
    let renderer = try TemplateRenderer(userFolder: options.templatesDirectory)
    let isInteger = context.integer != nil
    var jobs = [
      (context.files.header, isInteger ? integerHeaderTemplate : headerTemplate),
      (context.files.source, isInteger ? integerSourceTemplate : sourceTemplate),
    ]
    if !testCases.isEmpty { jobs.append((context.files.test, testTemplate)) }
    return try jobs.map { file, template in
      dictionary["currentFile"] = file
      return GeneratedFile(name: file, contents: try renderer.render(template, context: dictionary))
    }
  }

  /// The memory report the header states for `model` under `options`.
  public static func memoryReport(for model: Model, options: CGenerationOptions) throws -> CMemoryReport {
    var lowering = try CModelLowering(model: model, options: options)
    lowering.formatsValues = false
    let memory = try lowering.lower(testCases: []).memory
    return CMemoryReport(
      weightsBytes: memory.weights, stateBytes: memory.state, scratchBytes: memory.scratch,
      bufferBytes: memory.buffers, stateStructBytes: memory.stateStruct, codeBytes: memory.code,
      stackBytes: memory.stack, stepStackBytes: memory.stepStack)
  }

  /// Whether the generated code for `model` has `name_step` (every recurrent layer runs forward and
  /// holds no constant sequence lengths).
  public static func canStream(_ model: Model) -> Bool {
    model.layers.allSatisfy { layer in
      switch layer.kind {
      case .lstm, .gru:
        let recurrent = layer.kind.singleRecurrent!
        return recurrent.direction == .forward && recurrent.sequenceLengths == nil
      case .bidirectional: return false
      default: return true
      }
    }
  }
}
