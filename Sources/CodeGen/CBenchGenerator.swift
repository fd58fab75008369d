import CanonicalModel
import Foundation

/// Generates the host-only C programs `lstmc bench` builds: the model's own `NAME.h` and
/// `NAME.c` (exactly what ``CCodeGenerator`` writes), a harness that times `NAME_step` and
/// `NAME_predict` (`NAME_bench.c`, from `templates/c/bench/bench.c.stencil`) and a float32
/// multiply-add peak microbenchmark (`lstmc_peak.c`, from `templates/c/bench/peak.c.stencil`).
///
/// The harness and the microbenchmark use `clock_gettime(CLOCK_MONOTONIC)` and `stdio`, so they
/// are for the host only; the model files are the firmware files, unchanged.
public enum CBenchGenerator {
  static let benchTemplate = "bench/bench.c.stencil"
  static let peakTemplate = "bench/peak.c.stencil"
  static let mcuBenchTemplate = "bench/bench_mcu.c.stencil"

  /// The name of the peak microbenchmark's source file.
  public static let peakFileName = "lstmc_peak.c"

  /// The name of the harness's source file for a model named `name`.
  public static func harnessFileName(name: String) -> String { "\(name)_bench.c" }

  /// `NAME.h`, `NAME.c` and the harness `NAME_bench.c`.
  ///
  /// - Throws: ``CodeGenError`` as ``CCodeGenerator/generate(_:testCases:options:)`` does.
  public static func generate(_ model: Model, options: CGenerationOptions) throws -> [GeneratedFile] {
    try generate(model, options: options, template: benchTemplate)
  }

  /// `NAME.h`, `NAME.c` and the Cortex-M harness `NAME_bench.c` (from
  /// `templates/c/bench/bench_mcu.c.stencil`): no heap and no stdio; built with
  /// `-DLSTMC_BENCH_MODE=0|1` (step or predict), `-DLSTMC_BENCH_STEPS=N` and
  /// `-DLSTMC_BENCH_MAX_STEPS=M`, it runs the model once, for instructions to be counted outside.
  ///
  /// - Throws: ``CodeGenError`` as ``CCodeGenerator/generate(_:testCases:options:)`` does.
  public static func generateForCortexM(_ model: Model, options: CGenerationOptions) throws -> [GeneratedFile] {
    try generate(model, options: options, template: mcuBenchTemplate)
  }

  private static func generate(_ model: Model, options: CGenerationOptions, template: String) throws
    -> [GeneratedFile]
  {
    let files = try CCodeGenerator.generate(model, testCases: [], options: options)
    var lowering = try CModelLowering(model: model, options: options)
    lowering.formatsValues = false
    let lowered = try lowering.lower(testCases: [])
    let integerTypes = Dictionary(
      (lowered.integer?.outputs ?? []).map { ($0.index, $0.type) }, uniquingKeysWith: { first, _ in first })
    let outputs = lowered.outputs.map { output in
      CBenchOutputContext(
        index: output.index, parameter: "out\(output.index)", isSequence: output.isSequence,
        integerType: integerTypes[output.index] ?? "")
    }
    let context = CBenchContext(
      name: lowered.name, macro: lowered.macro, header: lowered.files.header,
      input: CBenchInputContext(
        elementType: lowered.input.elementType, isIndex: lowered.input.isIndex,
        vocabulary: lowered.embedding?.vocabulary ?? 1),
      outputs: outputs, outputArguments: outputs.map(\.parameter).joined(separator: ", "),
      canStream: lowered.canStream,
      resetArguments: ((lowered.fixedBatch > 0 ? ["0"] : []) + lowered.stateInputs.map { _ in "NULL" })
        .joined(separator: ", "),
      isInteger: lowered.integer != nil,
      integerInputType: lowered.integer == nil ? "" : lowered.input.isIndex ? "int32_t" : "\(lowered.name)_act_t")
    let renderer = try TemplateRenderer(userFolder: options.templatesDirectory)
    let harness = try renderer.render(template, context: try ContextEncoding.dictionary(context))
    return files + [GeneratedFile(name: harnessFileName(name: options.name), contents: harness)]
  }

  /// The peak microbenchmark `lstmc_peak.c`: kernels of 32 to 256 independent float32 chains,
  /// `runs` timed runs each of at least `minimumRunMilliseconds`; run with an argument BYTES it
  /// also measures the read bandwidth from a buffer of BYTES bytes (the memory floor's rate).
  ///
  /// - Throws: ``CodeGenError/templateFailed(template:reason:)``.
  public static func peakProgram(runs: Int = 5, minimumRunMilliseconds: Int = 10, templatesDirectory: URL? = nil)
    throws -> GeneratedFile
  {
    let context = CPeakContext(
      kernels: [32, 64, 96, 128, 192, 256].map(CPeakKernelContext.init(lanes:)), runs: max(1, runs),
      minimumRunMilliseconds: max(1, minimumRunMilliseconds), readLanes: 64)
    let renderer = try TemplateRenderer(userFolder: templatesDirectory)
    let text = try renderer.render(peakTemplate, context: try ContextEncoding.dictionary(context))
    return GeneratedFile(name: peakFileName, contents: text)
  }
}
