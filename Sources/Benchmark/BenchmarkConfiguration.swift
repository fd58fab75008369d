import CodeGen

/// What `lstmc bench` measures and how.
public struct BenchmarkConfiguration: Sendable {
  /// Timesteps per timed run (the sequence length for `predict` and the interpreter).
  public var steps: Int
  /// The C compiler flags for the generated code, the harness and the peak microbenchmark
  /// (after lstmc's `-std=c99 -O2`, so they win).
  public var cflags: [String]
  /// Sigmoid and tanh from libm (exact) or lstmc's approximations (fast).
  public var math: MathMode
  /// The gate products' layout (`--target-core`; the host's unless told otherwise).
  public var targetCore: TargetCore
  /// Timed runs of the generated code per mode, after ``warmupRuns`` untimed ones.
  public var runs: Int
  /// Untimed runs before the timed ones.
  public var warmupRuns: Int
  /// Timed runs of the interpreter (after one short untimed run).
  public var interpreterRuns: Int
  /// Whether to count instructions with callgrind when `valgrind` is installed.
  public var countInstructions: Bool
  /// The two sequence lengths whose instruction counts are subtracted (the difference is per step,
  /// set-up excluded).
  public var callgrindSteps: (short: Int, long: Int)

  /// The default flags: what the README's table uses.
  public static let defaultCFlags = ["-O3", "-march=native"]
  /// The default number of steps.
  public static let defaultSteps = 1000

  /// Creates a configuration; every argument has a default.
  public init(
    steps: Int = defaultSteps, cflags: [String] = defaultCFlags, math: MathMode = .fast, targetCore: TargetCore = .host,
    runs: Int = 11,
    warmupRuns: Int = 2, interpreterRuns: Int = 3, countInstructions: Bool = true,
    callgrindSteps: (short: Int, long: Int) = (10, 110)
  ) {
    self.steps = steps
    self.cflags = cflags
    self.math = math
    self.targetCore = targetCore
    self.runs = runs
    self.warmupRuns = warmupRuns
    self.interpreterRuns = interpreterRuns
    self.countInstructions = countInstructions
    self.callgrindSteps = callgrindSteps
  }
}
