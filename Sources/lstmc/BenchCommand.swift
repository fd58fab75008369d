import ArgumentParser
import Benchmark
import CanonicalModel
import CodeGen
import Foundation
import Targets
import Verification

/// `lstmc bench MODEL [--target c|c-cortex-m4|c-cortex-m3|swift-cortex-m4] [--steps N] [--cflags "..."] [--math exact|fast]
/// [--runs N] [--no-instructions] [--json]`.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time the generated C against the machine's float32 multiply-add peak.",
    discussion: """
      Generates C for the model, builds it with a timing harness using the host's cc ($CC), and prints \
      ns per step of MODEL_step (batch 1, one timestep per call) and of MODEL_predict (one whole sequence), \
      the floor (sum over recurrent layers and directions of 4*H*(I+H) multiply-adds per step for an LSTM, \
      3*H*(I+H) for a GRU, at the single-thread multiply-add peak, measured in the same run with the same \
      flags), each timing's ratio to the floor, \
      lstmc's interpreter per step, and instructions per step when valgrind is installed. \
      Timings are the median (and min-max) of several runs after warm-up runs.

      With --target c-cortex-m4 or c-cortex-m3, builds the generated C for the emulated core instead \
      (arm-none-eabi-gcc -O2, as verify does; swift-cortex-m4: the generated Embedded Swift, -Osize) and counts the instructions qemu-system-arm executes for \
      a 1-step and a 3-step run of MODEL_step and of MODEL_predict: the difference over 2 steps is \
      the instructions per step, set-up excluded, reported with instructions per multiply-add of the \
      floor and the memory report. qemu is not cycle-accurate: these are instructions, not time.
      """)

  @Argument(help: ModelLoader.argumentHelp)
  var model: String

  @Option(
    help: ArgumentHelp(
      "Where the generated C runs: the host (c), or counted instructions on an emulated core.",
      valueName: "c|c-cortex-m4|c-cortex-m3|swift-cortex-m4"))
  var target = "c"

  @Option(help: "Timesteps per timed run: MODEL_step calls, and the sequence length of MODEL_predict.")
  var steps = BenchmarkConfiguration.defaultSteps

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "C compiler flags for the model, the harness and the peak microbenchmark (after -std=c99 -O2).",
      valueName: "flags"))
  var cflags = BenchmarkConfiguration.defaultCFlags.joined(separator: " ")

  @Option(
    help: ArgumentHelp("Sigmoid and tanh from libm (exact) or lstmc's approximations (fast).", valueName: "exact|fast"))
  var math = MathMode.fast.rawValue

  @Option(
    name: .customLong("target-core"),
    help: ArgumentHelp(
      "The generated C's gate-product layout (default: the emulated core's own, host on --target c).",
      valueName: TargetCoreOption.valueNames))
  var targetCore: String?

  @Option(help: "Timed runs of the generated code per function (after 2 warm-up runs).")
  var runs = 11

  @Flag(inversion: .prefixedNo, help: "Count instructions per step with callgrind (when valgrind is installed).")
  var instructions = true

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var bind: BindOptions

  /// The largest accepted `--steps`.
  static let maxSteps = 1_000_000

  func validate() throws {
    guard (1...Self.maxSteps).contains(steps) else {
      throw ValidationError("--steps must be between 1 and \(Self.maxSteps).")
    }
    guard (1...1000).contains(runs) else { throw ValidationError("--runs must be between 1 and 1000.") }
    guard Self.targets.contains(target) else {
      throw ValidationError("--target must be one of: \(Self.targets.joined(separator: ", ")).")
    }
    // The emulated cores count one build of fixed flags and step counts: host-only options are refused,
    // not ignored.
    let hostOnly =
      steps != BenchmarkConfiguration.defaultSteps
      || cflags != BenchmarkConfiguration.defaultCFlags.joined(separator: " ") || runs != 11 || !instructions
    guard target == "c" || !hostOnly else {
      throw ValidationError(
        "--steps, --cflags, --runs and --no-instructions time the host build; --target \(target) counts "
          + "instructions of a 1-step and a 3-step run built as verify builds it (only --math applies).")
    }
    guard MathMode(rawValue: math) != nil else {
      throw ValidationError("--math must be one of: \(MathMode.allCases.map(\.rawValue).joined(separator: ", ")).")
    }
    _ = try TargetCoreOption.parse(targetCore)
    guard targetCore == nil || !target.hasPrefix("swift") else {
      throw ValidationError("--target-core shapes generated C; --target \(target) generates Swift.")
    }
  }

  /// The `--target` values.
  static let targets = ["c", "c-cortex-m4", "c-cortex-m3", "swift-cortex-m4"]

  func run() throws {
    let loaded = try Diagnostics.reporting(file: model) { try ModelLoader.load(model, bindings: bind.bindings) }
    if target != "c" {
      let core: CTarget = target == "c-cortex-m3" ? .cortexM3 : .cortexM4
      let runner = MCUBenchmarkRunner(
        target: core, language: target.hasPrefix("swift") ? .swift : .c, math: MathMode(rawValue: math) ?? .fast,
        targetCore: try TargetCoreOption.parse(targetCore),
        keepBuild: ProcessInfo.processInfo.environment["LSTMC_KEEP_BUILD"] == "1")
      let report = try Diagnostics.reporting(file: model) { try runner.run(loaded, modelPath: model) }
      print(json ? try JSONOutput.string(report) : BenchReportFormatter.text(report))
      return
    }
    let configuration = BenchmarkConfiguration(
      steps: steps, cflags: cflags.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init),
      math: MathMode(rawValue: math) ?? .fast, targetCore: try TargetCoreOption.parse(targetCore) ?? .host, runs: runs,
      countInstructions: instructions)
    let runner = BenchmarkRunner(
      configuration: configuration, keepBuild: ProcessInfo.processInfo.environment["LSTMC_KEEP_BUILD"] == "1")
    let report = try Diagnostics.reporting(file: model) { try runner.run(loaded, modelPath: model) }
    print(json ? try JSONOutput.string(report) : BenchReportFormatter.text(report))
  }
}
