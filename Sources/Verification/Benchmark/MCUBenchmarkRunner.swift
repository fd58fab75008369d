import CanonicalModel
import CodeGen
import Foundation

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
  /// The emulated core (`cortexM4` or `cortexM3`).
  public var target: CTarget
  /// Sigmoid and tanh from libm (exact) or lstmc's approximations (fast).
  public var math: MathMode
  /// The two sequence lengths whose counts are subtracted.
  public var steps: (short: Int, long: Int)
  /// Keep the build folder instead of deleting it.
  public var keepBuild: Bool

  /// The symbol prefix of the benchmarked code.
  static let modelName = "model"

  /// Creates a runner; `steps` are the two sequence lengths (1 and 3 unless given).
  public init(target: CTarget, math: MathMode, steps: (short: Int, long: Int) = (1, 3), keepBuild: Bool = false) {
    self.target = target
    self.math = math
    self.steps = steps
    self.keepBuild = keepBuild
  }

  /// Measures `model` (read from `modelPath`, which the report names).
  ///
  /// - Throws: ``BenchmarkError``, ``CProgramError`` (a missing tool, a compile error, a timeout)
  ///   or ``CodeGen/CodeGenError`` (a model the C generator does not support).
  public func run(_ model: Model, modelPath: String) throws -> MCUBenchmarkReport {
    let floor = RecurrentFloor(model: model)
    guard floor.macsPerStep > 0 else { throw BenchmarkError.noRecurrentLayer }
    let programs = CProgramRunner(target: target)
    try programs.checkTools(running: true)
    let counter = try QemuInstructionCounter(target: target)
    let streams = CCodeGenerator.canStream(model)
    let options = CGenerationOptions(
      name: Self.modelName, maxSteps: steps.long, math: math, commandLine: "lstmc bench --target c-\(target.rawValue)",
      toolVersion: LSTMCVersion.current)
    let files = try CBenchGenerator.generateForCortexM(model, options: options)

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { if !keepBuild { try? FileManager.default.removeItem(at: folder) } }
    for file in files {
      try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name))
    }
    let modelSource = folder.appendingPathComponent("\(Self.modelName).c")
    let sources = [modelSource, folder.appendingPathComponent(CBenchGenerator.harnessFileName(name: Self.modelName))]

    var totals: [Int] = []
    func perStep(mode: Int, label: String) throws -> Double {
      var counts: [Int] = []
      for length in [steps.short, steps.long] {
        let program = try programs.build(
          sources: sources,
          defines: ["LSTMC_BENCH_MODE=\(mode)", "LSTMC_BENCH_STEPS=\(length)", "LSTMC_BENCH_MAX_STEPS=\(steps.long)"],
          workDirectory: folder, name: "bench-\(label)-\(length)")
        counts.append(try counter.count(executable: program, program: "benchmark harness (\(label), \(length) steps)"))
      }
      totals += counts
      return Double(counts[1] - counts[0]) / Double(steps.long - steps.short)
    }
    let step = streams ? try perStep(mode: 0, label: "step") : nil
    let predict = try perStep(mode: 1, label: "predict")

    let usage = try MemoryMeasurement.measure(
      sources: [modelSource], workDirectory: folder.appendingPathComponent("memory"), target: target)
    let stateBytes = try CCodeGenerator.memoryReport(for: model, options: options).stateStructBytes
    let macs = Double(floor.macsPerStep)
    var notes: [String] = []
    if !streams {
      notes.append("the model has a backward or Bidirectional layer, so no model_step: only predict is counted")
    }
    if math == .exact {
      notes.append("exact math calls libm's expf and tanhf, whose instruction counts depend on the values")
    }
    return MCUBenchmarkReport(
      model: modelPath, target: "c-\(target.rawValue)",
      method:
        "qemu-system-arm -M \(target.qemuMachine ?? "?") \(counter.oneInstructionPerBlock.joined(separator: " ")) "
        + "-d exec,nochain: executed instructions of a \(steps.long)-step run minus a \(steps.short)-step run, "
        + "divided by \(steps.long - steps.short)",
      compiler: programs.cc, cflags: ["-std=c99", "-O2"] + target.machineFlags, math: math.rawValue,
      streams: streams,
      floor: MCUBenchmarkReport.Floor(
        formula: RecurrentFloor.formula, worked: floor.worked, macsPerStep: floor.macsPerStep, terms: floor.terms),
      instructions: MCUBenchmarkReport.Instructions(
        step: step, predict: predict, steps: [steps.short, steps.long], totals: totals),
      instructionsPerMAC: (step ?? predict) / macs,
      perMAC: MCUBenchmarkReport.PerMultiplyAdd(step: step.map { $0 / macs }, predict: predict / macs),
      memory: MCUBenchmarkReport.Memory(
        code: usage.code, readOnlyData: usage.readOnlyData, ram: usage.ram, state: stateBytes,
        stackStep: streams ? usage.stack(of: "\(Self.modelName)_step")?.worstPath : nil,
        stackPredict: usage.stack(of: "\(Self.modelName)_predict")?.worstPath),
      notes: notes)
  }
}
