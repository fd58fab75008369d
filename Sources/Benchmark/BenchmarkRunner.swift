import CanonicalModel
import CodeGen
import Foundation
import Interpreter
import Targets

/// Measures a model's generated C against the machine's multiply-add peak: builds the model
/// with a timing harness and a peak microbenchmark (``CBenchGenerator``) with the host's `cc`,
/// times `name_step` (batch 1, one timestep per call) and `name_predict` (the whole sequence),
/// times lstmc's interpreter on the same sequence length, and, when `valgrind` is installed,
/// counts instructions per step with callgrind.
///
/// ```swift
/// let report = try BenchmarkRunner(configuration: BenchmarkConfiguration(steps: 1000)).run(model, modelPath: "m.h5")
/// print(report.ratio.step ?? report.ratio.predict)
/// ```
public struct BenchmarkRunner: Sendable {
  /// What to measure.
  public var configuration: BenchmarkConfiguration
  /// Builds and runs the programs (the host's `$CC` or `cc`).
  public var programs: CProgramRunner
  /// Keep the build folder (the generated files and programs) instead of deleting it.
  public var keepBuild: Bool
  /// Seconds any one benchmark program may run.
  public var runTimeout: Double = 600

  /// The symbol prefix of the benchmarked code.
  static let modelName = "model"

  /// Creates a runner; `cc` overrides `$CC`/`cc`.
  public init(configuration: BenchmarkConfiguration, cc: String? = nil, keepBuild: Bool = false) {
    self.configuration = configuration
    self.programs = CProgramRunner(target: .host, cc: cc)
    self.keepBuild = keepBuild
  }

  /// Measures `model` (read from `modelPath`, which the report names).
  ///
  /// - Throws: ``BenchmarkError``, ``CProgramError`` (a missing compiler, a compile error, a
  ///   timeout) or ``CodeGen/CodeGenError`` (a model the C generator does not support).
  public func run(_ model: Model, modelPath: String) throws -> BenchmarkReport {
    let floor = RecurrentFloor(model: model)
    guard floor.macsPerStep > 0 else { throw BenchmarkError.noRecurrentLayer }
    try programs.checkTools(running: false)
    let streams = CCodeGenerator.canStream(model)
    let steps = configuration.steps
    let callgrindSteps = configuration.callgrindSteps
    let options = CGenerationOptions(
      name: Self.modelName, maxSteps: max(steps, callgrindSteps.long), math: configuration.math,
      targetCore: configuration.targetCore,
      commandLine: "lstmc bench", toolVersion: LSTMCVersion.current)
    let files = try CBenchGenerator.generate(model, options: options)
    let peakFile = try CBenchGenerator.peakProgram()

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { if !keepBuild { try? FileManager.default.removeItem(at: folder) } }
    for file in files + [peakFile] {
      try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name))
    }
    let sources = [
      folder.appendingPathComponent("\(Self.modelName).c"),
      folder.appendingPathComponent(CBenchGenerator.harnessFileName(name: Self.modelName)),
    ]
    let harness = try programs.build(
      sources: sources, extraFlags: configuration.cflags, workDirectory: folder, name: "bench")
    let peakFlags = configuration.cflags + ["-ffp-contract=fast"]
    let peakProgram = try programs.build(
      sources: [folder.appendingPathComponent(peakFile.name)], extraFlags: peakFlags, workDirectory: folder,
      name: "peak")

    let weightBytes = try CCodeGenerator.memoryReport(for: model, options: options).weightsBytes
    let peakOutput = try output(of: peakProgram, [String(weightBytes)], in: folder, program: "peak microbenchmark")
    let peak = try MultiplyAddPeak.parse(peakOutput, cflags: peakFlags)
    let memoryFloor = MemoryFloor.parse(peakOutput, weightBytes: weightBytes)
    let step = streams ? try time(harness, mode: "step", in: folder) : nil
    let predict = try time(harness, mode: "predict", in: folder)
    var notes: [String] = []
    let interpreter = try timeInterpreter(model, notes: &notes)
    let floorNanoseconds = Double(floor.macsPerStep) / peak.macsPerNanosecond
    let limit = memoryFloor.map { max(floorNanoseconds, $0.nanosecondsPerStep) }
    if memoryFloor == nil { notes.append("the peak program printed no read bandwidth: no memory floor") }
    let preempted = [step, predict].compactMap { $0?.preemptedRuns }.reduce(0, +)
    if preempted > 0 {
      notes.append(
        "\(preempted) timed run(s) were preempted (they waited on a run queue); times are on-CPU, "
          + "so the wait is not counted, but a busy machine still slows the caches")
    }

    if !streams {
      notes.append("the model has a backward or Bidirectional layer, so no model_step: only predict is timed")
    }
    var instructions: BenchmarkReport.Instructions?
    if configuration.countInstructions {
      if let counter = CallgrindCounter.located() {
        instructions = try countInstructions(
          counter, harness: harness, sources: sources, streams: streams, in: folder, notes: &notes)
      } else {
        notes.append("valgrind is not installed: no instruction counts")
      }
    }
    return BenchmarkReport(
      model: modelPath, steps: steps, compiler: programs.cc, compilerVersion: compilerVersion(in: folder),
      cflags: configuration.cflags, math: configuration.math.rawValue,
      targetCore: configuration.targetCore.rawValue, streams: streams, peak: peak,
      floor: BenchmarkReport.Floor(
        formula: RecurrentFloor.formula, worked: floor.worked, macsPerStep: floor.macsPerStep,
        nanosecondsPerStep: floorNanoseconds, terms: floor.terms),
      memoryFloor: memoryFloor,
      step: step, predict: predict, interpreter: interpreter,
      ratio: BenchmarkReport.Ratios(
        step: step.map { $0.medianNanoseconds / floorNanoseconds },
        predict: predict.medianNanoseconds / floorNanoseconds,
        stepVsLimit: limit.flatMap { limit in step.map { $0.medianNanoseconds / limit } },
        predictVsLimit: limit.map { predict.medianNanoseconds / $0 }),
      instructions: instructions, notes: notes)
  }

  /// Runs `executable` and returns its standard output.
  ///
  /// - Throws: ``BenchmarkError/programFailed(program:status:detail:)`` on a non-zero exit.
  private func output(of executable: URL, _ arguments: [String], in folder: URL, program: String) throws -> String {
    let outcome = try ProcessRunner.run(
      executable, arguments, in: folder, capture: executable.lastPathComponent + ".run", timeout: runTimeout)
    guard outcome.status == 0 else {
      let detail = outcome.stderr.split(separator: "\n").suffix(2).joined(separator: " ")
      throw BenchmarkError.programFailed(program: program, status: outcome.status, detail: detail)
    }
    return outcome.stdout
  }

  /// Times the harness in `mode` (`step` or `predict`).
  private func time(_ harness: URL, mode: String, in folder: URL) throws -> BenchmarkTiming {
    let steps = configuration.steps
    let text = try output(
      of: harness, [mode, String(steps), String(configuration.runs), String(configuration.warmupRuns)], in: folder,
      program: "benchmark harness (\(mode))")
    let runs = text.split(separator: "\n").compactMap(BenchmarkTiming.Run.init(line:))
    guard runs.count == configuration.runs, let timing = BenchmarkTiming(runs: runs, steps: steps) else {
      throw BenchmarkError.unreadableOutput(program: "benchmark harness (\(mode))", output: text)
    }
    return timing
  }

  /// Times the interpreter on one sequence of ``BenchmarkConfiguration/steps`` steps, batch 1; a model
  /// whose input has a fixed length T runs ceil(steps / T) sequences of T steps per run instead.
  private func timeInterpreter(_ model: Model, notes: inout [String]) throws -> BenchmarkTiming {
    let steps = configuration.steps
    do {
      let interpreter = try Interpreter(model: model)
      let fixedLength = model.inputs.first.flatMap { $0.shape.count > 1 ? $0.shape[1] : nil }
      let length = fixedLength ?? steps
      let repeats = (steps + length - 1) / length
      if let fixedLength, fixedLength != steps {
        notes.append(
          "the model's input has a fixed length of \(fixedLength) steps: the interpreter ran \(repeats) "
            + "sequence(s) of \(fixedLength) steps per run")
      }
      // A fixed batch (in the input's shape, or in constant per-sample tables): the C harness runs
      // one sample, the interpreter runs the whole batch and its time is divided by the samples.
      let sequenceInput = model.inputs.first { $0.effectiveRole == .sequence }
      let batch = sequenceInput?.shape.first.flatMap { $0 } ?? max(1, model.constantTableBatch)
      if batch > 1 {
        notes.append(
          "the model fixes the batch at \(batch) (its input shape or constant initial states or lengths): "
            + "the interpreter ran all \(batch) samples and its time is per sample")
      }
      let inputs = try Self.interpreterInputs(model, steps: length, batch: batch)
      _ = try interpreter.run(inputs)  // warm-up
      var runs: [BenchmarkTiming.Run] = []
      for _ in 0..<max(1, configuration.interpreterRuns) {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = Self.threadCPUNanoseconds()
        for _ in 0..<repeats { _ = try interpreter.run(inputs) }
        let cpu = Self.threadCPUNanoseconds() - cpuStart
        runs.append(.init(wall: Double(DispatchTime.now().uptimeNanoseconds - start), cpu: cpu, delay: nil))
      }
      return BenchmarkTiming(runs: runs, steps: repeats * length * batch)!
    } catch let error as BenchmarkError {
      throw error
    } catch {
      throw BenchmarkError.interpreterFailed(String(describing: error))
    }
  }

  /// This thread's CPU clock in nanoseconds (`CLOCK_THREAD_CPUTIME_ID`).
  static func threadCPUNanoseconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) * 1e9 + Double(now.tv_nsec)
  }

  /// The interpreter's inputs, in the model's order, as the C harness feeds the generated code: the
  /// sequence (``interpreterInput(_:steps:)``), zero initial states, and `steps` as the length.
  static func interpreterInputs(_ model: Model, steps: Int, batch: Int = 1) throws -> [Tensor] {
    try model.inputs.map { input in
      switch input.effectiveRole {
      case .sequence:
        let one = try interpreterInput(model, steps: steps)
        var shape = one.shape
        shape[0] = batch
        return Tensor(shape: shape, data: Array([[Float]](repeating: one.data, count: batch).joined()))
      case .sequenceLengths: return Tensor(shape: [batch], data: [Float](repeating: Float(steps), count: batch))
      default:
        let size = input.shape.last.flatMap { $0 } ?? 0
        return Tensor(shape: [batch, size], data: [Float](repeating: 0, count: batch * size))
      }
    }
  }

  /// Fixed pseudo-random input for the interpreter: features in [-1, 1), or indices below the vocabulary.
  static func interpreterInput(_ model: Model, steps: Int) throws -> Tensor {
    guard let input = model.inputs.first(where: { $0.effectiveRole == .sequence }) else {
      throw BenchmarkError.interpreterFailed("the model has no sequence input")
    }
    var seed: UInt32 = 20_261_129
    func next() -> UInt32 {
      seed = seed &* 1_664_525 &+ 1_013_904_223
      return seed >> 8
    }
    if input.elementType == .int32 {
      var vocabulary = 1
      for layer in model.layers {
        if case .embedding(let embedding) = layer.kind {
          vocabulary = embedding.vocabularySize
          break
        }
      }
      return Tensor(shape: [1, steps], data: (0..<steps).map { _ in Float(next() % UInt32(vocabulary)) })
    }
    let features = input.shape.last.flatMap { $0 } ?? 1
    return Tensor(
      shape: [1, steps, features], data: (0..<(steps * features)).map { _ in Float(next()) / 8_388_608 - 1 })
  }

  /// Counts instructions per step inside the model's functions only (callgrind collects from entry
  /// to exit of `name_reset`, `name_step` and `name_predict`, not while the harness makes the input or
  /// reads clocks): the difference between two sequence lengths, so set-up cancels.
  /// When valgrind cannot run the build (AVX-512 under `-march=native`), rebuilds once with
  /// `-mno-avx512f` and says so.
  private func countInstructions(
    _ counter: CallgrindCounter, harness: URL, sources: [URL], streams: Bool, in folder: URL,
    notes: inout [String]
  ) throws -> BenchmarkReport.Instructions? {
    let (short, long) = configuration.callgrindSteps
    let functions = ["reset", "step", "predict"].map { "\(Self.modelName)_\($0)" }
    func perStep(_ program: URL, mode: String) throws -> Int? {
      guard
        let a = try counter.instructions(
          executable: program, arguments: [mode, String(short), "1", "0"], in: folder, label: "\(mode)-short",
          onlyIn: functions),
        let b = try counter.instructions(
          executable: program, arguments: [mode, String(long), "1", "0"], in: folder, label: "\(mode)-long",
          onlyIn: functions)
      else { return nil }
      return Int((Double(b - a) / Double(long - short)).rounded())
    }
    var flags = configuration.cflags
    var program = harness
    var predict = try perStep(program, mode: "predict")
    if predict == nil {
      #if arch(x86_64)
        flags.append("-mno-avx512f")
        program = try programs.build(sources: sources, extraFlags: flags, workDirectory: folder, name: "bench-valgrind")
        predict = try perStep(program, mode: "predict")
        if predict != nil {
          notes.append("instructions counted on a build with -mno-avx512f: valgrind cannot decode AVX-512")
        }
      #endif
    }
    guard let predict else {
      notes.append("valgrind could not run the benchmark program: no instruction counts")
      return nil
    }
    let step = streams ? try perStep(program, mode: "step") : nil
    return BenchmarkReport.Instructions(step: step, predict: predict, cflags: flags, steps: [short, long])
  }

  /// The compiler's first `--version` line, or the empty string.
  private func compilerVersion(in folder: URL) -> String {
    let words = programs.cc.split(separator: " ").map(String.init)
    guard let first = words.first, let compiler = ToolLocator.find(first),
      let outcome = try? ProcessRunner.run(
        compiler, Array(words.dropFirst()) + ["--version"], in: folder, capture: "cc-version", timeout: 30),
      outcome.status == 0
    else { return "" }
    return outcome.stdout.split(separator: "\n").first.map(String.init) ?? ""
  }
}
