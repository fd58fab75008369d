import CanonicalModel
import CodeGen
import Foundation
import Targets

/// Measures a model's generated C on an emulated Cortex-M: builds the model with the Cortex-M
/// harness (``CodeGen/CBenchGenerator/generateForCortexM(_:options:)``) for two sequence
/// lengths in each mode, lets ``QemuInstructionCounter`` count the instructions each build
/// executes, and divides the difference by the difference of the lengths, so reset, start-up
/// and the making of the input cancel. The memory report comes from the same generated files.
///
/// ```swift
/// let report = try MCUBenchmarkRunner(target: .cortexM4, math: .fast).run(model, modelPath: "m.h5")
/// print(report.instructionsPerMAC)
/// ```
public struct MCUBenchmarkRunner: Sendable {
  /// The generated language.
  public enum Language: String, Sendable {
    /// C99, built with `arm-none-eabi-gcc -O2` as `verify --target c-cortex-m4|c-cortex-m3` does.
    case c
    /// Embedded Swift for the Cortex-M4F, built as `verify --target swift-cortex-m4` does.
    case swift
  }

  /// The emulated core (`cortexM4` or `cortexM3`).
  public var target: CTarget
  /// C, or Embedded Swift (Cortex-M4F only).
  public var language: Language
  /// Sigmoid and tanh from libm (exact) or lstmc's approximations (fast).
  public var math: MathMode
  /// The gate products' layout of the generated C; `nil`: the core's own (``TargetCore/cortexM4`` or
  /// ``TargetCore/cortexM3``), as `verify` builds it. Swift always uses the axpy layout.
  public var targetCore: TargetCore?
  /// The two sequence lengths whose counts are subtracted.
  public var steps: (short: Int, long: Int)
  /// Keep the build folder instead of deleting it.
  public var keepBuild: Bool

  /// The symbol prefix of the benchmarked code.
  static let modelName = "model"

  /// Creates a runner; `steps` are the two sequence lengths (1 and 3 unless given).
  public init(
    target: CTarget, language: Language = .c, math: MathMode, targetCore: TargetCore? = nil,
    steps: (short: Int, long: Int) = (1, 3), keepBuild: Bool = false
  ) {
    self.target = target
    self.language = language
    self.math = math
    self.targetCore = targetCore
    self.steps = steps
    self.keepBuild = keepBuild
  }

  /// The `--target` this runner measures: `c-cortex-m4`, `c-cortex-m3` or `swift-cortex-m4`.
  public var targetName: String { "\(language.rawValue)-\(target.rawValue)" }

  /// The layout the generated C is built with: ``targetCore``, else the core's own; the host's for Swift.
  public var effectiveCore: TargetCore {
    guard language == .c else { return .host }
    return targetCore ?? (target == .cortexM3 ? .cortexM3 : .cortexM4)
  }

  /// Measures `model` (read from `modelPath`, which the report names).
  ///
  /// - Throws: ``BenchmarkError``, ``CProgramError`` (a missing tool, a compile error, a timeout),
  ///   ``VerificationError`` (generated Swift that does not build) or ``CodeGen/CodeGenError`` (a
  ///   model the generator or the Swift harness does not support).
  public func run(_ model: Model, modelPath: String) throws -> MCUBenchmarkReport {
    let floor = RecurrentFloor(model: model)
    guard floor.macsPerStep > 0 else { throw BenchmarkError.noRecurrentLayer }
    guard language == .c || target == .cortexM4 else { throw CProgramError.notRunnable(target) }
    let programs = CProgramRunner(target: target)
    try programs.checkTools(running: true)
    let swiftc = language == .swift ? try ToolLocator.require(GeneratedSwiftRun.swiftc) : nil
    let counter = try QemuInstructionCounter(target: target)
    let streams = CCodeGenerator.canStream(model)
    let options = CGenerationOptions(
      name: Self.modelName, maxSteps: steps.long, math: math, targetCore: effectiveCore,
      commandLine: "lstmc bench --target \(targetName)",
      toolVersion: LSTMCVersion.current)

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { if !keepBuild { try? FileManager.default.removeItem(at: folder) } }
    func write(_ files: [GeneratedFile], in directory: URL) throws {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      for file in files {
        try Data(file.contents.utf8).write(to: directory.appendingPathComponent(file.name))
      }
    }

    /// Builds the program that runs `mode` (of the integer API when `integer`) for `length` steps.
    func build(mode: SwiftBenchGenerator.Mode, integer: Bool, length: Int) throws -> URL {
      let label = "bench-\(mode.rawValue)\(integer ? "_q" : "")-\(length)"
      let modeNumber = (mode == .step ? 0 : 1) + (integer ? 2 : 0)
      switch language {
      case .c:
        let sources = [
          folder.appendingPathComponent("\(Self.modelName).c"),
          folder.appendingPathComponent(CBenchGenerator.harnessFileName(name: Self.modelName)),
        ]
        return try programs.build(
          sources: sources,
          defines: [
            "LSTMC_BENCH_MODE=\(modeNumber)", "LSTMC_BENCH_STEPS=\(length)",
            "LSTMC_BENCH_MAX_STEPS=\(steps.long)",
          ], workDirectory: folder, name: label)
      case .swift:
        let directory = folder.appendingPathComponent(label)
        let files = try SwiftBenchGenerator.generate(
          model, options: options, mode: mode, steps: length, maxSteps: steps.long)
        try write(files, in: directory)
        return try GeneratedSwiftRun.buildCortexM4(
          swiftc!, sources: files.map { directory.appendingPathComponent($0.name).path }, in: directory, name: label)
      }
    }

    if language == .c { try write(try CBenchGenerator.generateForCortexM(model, options: options), in: folder) }
    var totals: [Int] = []
    func perStep(_ mode: SwiftBenchGenerator.Mode, integer: Bool = false) throws -> Double {
      var counts: [Int] = []
      for length in [steps.short, steps.long] {
        let program = try build(mode: mode, integer: integer, length: length)
        counts.append(
          try counter.count(
            executable: program,
            program: "benchmark harness (\(mode.rawValue)\(integer ? "_q" : ""), \(length) steps)"))
      }
      totals += counts
      return Double(counts[1] - counts[0]) / Double(steps.long - steps.short)
    }
    let step = streams ? try perStep(.step) : nil
    let predict = try perStep(.predict)
    // A quantized model's C has the integer API too: what firmware without an FPU calls.
    let integerAPI = language == .c && model.quantization != nil
    let stepQ = integerAPI && streams ? try perStep(.step, integer: true) : nil
    let predictQ = integerAPI ? try perStep(.predict, integer: true) : nil

    let report = try CCodeGenerator.memoryReport(for: model, options: options)
    let memory: MCUBenchmarkReport.Memory
    var notes: [String] = []
    switch language {
    case .c:
      let usage = try MemoryMeasurement.measure(
        sources: [folder.appendingPathComponent("\(Self.modelName).c")],
        workDirectory: folder.appendingPathComponent("memory"), target: target)
      memory = MCUBenchmarkReport.Memory(
        method: "arm-none-eabi-gcc -Os of \(Self.modelName).c alone, as lstmc generate c reports it",
        code: usage.code, readOnlyData: usage.readOnlyData, ram: usage.ram, state: report.stateStructBytes,
        stackStep: streams ? usage.stack(of: "\(Self.modelName)_step")?.worstPath : nil,
        stackPredict: usage.stack(of: "\(Self.modelName)_predict")?.worstPath)
    case .swift:
      let source = try SwiftCodeGenerator.generate(model, testCases: [], options: options)[0]
      guard let usage = SwiftMemoryMeasurement.measureIfAvailable(source: source.contents, fileName: source.name)
      else { throw BenchmarkError.programFailed(program: "Embedded Swift size measurement", status: 1, detail: "") }
      memory = MCUBenchmarkReport.Memory(
        method: "Embedded Swift -Osize of \(Self.modelName).swift alone, as lstmc generate swift reports it",
        code: max(0, usage.text - report.weightsBytes), readOnlyData: report.weightsBytes, ram: usage.data + usage.bss,
        state: try SwiftCodeGenerator.stateBytes(for: model, options: options), stackStep: nil, stackPredict: nil)
      notes.append("Swift has no -fstack-usage: stack not measured")
    }
    let macs = Double(floor.macsPerStep)
    if !streams {
      notes.append("the model has a backward or Bidirectional layer, so no step: only predict is counted")
    }
    if math == .exact {
      notes.append(
        language == .c
          ? "exact math: the recurrent sigmoid and tanh are lstmc's own branch-free loops; other sigmoid and tanh "
            + "call libm, whose instruction counts depend on the values"
          : "exact math calls libm's expf and tanhf, whose instruction counts depend on the values")
    }
    return MCUBenchmarkReport(
      model: modelPath, target: targetName,
      method:
        "qemu-system-arm -M \(target.qemuMachine ?? "?") \(counter.oneInstructionPerBlock.joined(separator: " ")) "
        + "-d exec,nochain: executed instructions of a \(steps.long)-step run minus a \(steps.short)-step run, "
        + "divided by \(steps.long - steps.short)",
      compiler: language == .c ? programs.cc : "swiftc",
      cflags: language == .c
        ? ["-std=c99", "-O2"] + target.machineFlags : GeneratedSwiftRun.embeddedCortexM4Flags,
      math: math.rawValue, targetCore: effectiveCore.rawValue, streams: streams,
      floor: MCUBenchmarkReport.Floor(
        formula: RecurrentFloor.formula, worked: floor.worked, macsPerStep: floor.macsPerStep, terms: floor.terms),
      instructions: MCUBenchmarkReport.Instructions(
        step: step, predict: predict, stepQ: stepQ, predictQ: predictQ, steps: [steps.short, steps.long],
        totals: totals),
      instructionsPerMAC: (step ?? predict) / macs,
      perMAC: MCUBenchmarkReport.PerMultiplyAdd(
        step: step.map { $0 / macs }, predict: predict / macs, stepQ: stepQ.map { $0 / macs },
        predictQ: predictQ.map { $0 / macs }),
      memory: memory, notes: notes)
  }
}
