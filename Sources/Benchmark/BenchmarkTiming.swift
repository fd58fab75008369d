/// Several timed runs of the same work, per step: their median, fastest and slowest.
///
/// The harness times each run twice: on the wall clock and on the thread's CPU clock
/// (`CLOCK_THREAD_CPUTIME_ID`, which does not advance while the thread waits preempted), and
/// reads the kernel's run-queue delay around the run. The median, fastest and slowest are then
/// on-CPU times (``clock`` `thread_cpu`), ``wallMedianNanoseconds`` keeps the wall-clock median,
/// and ``preemptedRuns`` says how many runs waited on a run queue at all.
public struct BenchmarkTiming: Codable, Equatable, Sendable {
  /// One timed run as the harness printed it: totals in nanoseconds.
  public struct Run: Equatable, Sendable {
    /// Wall-clock time of the run.
    public var wall: Double
    /// On-CPU time of the run (the thread's CPU clock).
    public var cpu: Double
    /// Run-queue delay the kernel recorded during the run; `nil` where the system has none.
    public var delay: Double?

    /// Creates a run.
    public init(wall: Double, cpu: Double, delay: Double?) {
      self.wall = wall
      self.cpu = cpu
      self.delay = delay
    }

    /// Parses the harness's `ns WALL CPU DELAY` line (a negative delay is unknown); `nil` for
    /// any other line.
    public init?(line: Substring) {
      let words = line.split(separator: " ")
      guard words.count == 4, words[0] == "ns", let wall = Double(words[1]), let cpu = Double(words[2]),
        let delay = Double(words[3])
      else { return nil }
      self.init(wall: wall, cpu: cpu, delay: delay < 0 ? nil : delay)
    }
  }

  /// The median over the runs, in nanoseconds per step (on-CPU when ``clock`` is `thread_cpu`).
  public var medianNanoseconds: Double
  /// The fastest run, in nanoseconds per step.
  public var minNanoseconds: Double
  /// The slowest run, in nanoseconds per step.
  public var maxNanoseconds: Double
  /// The number of timed runs.
  public var runs: Int
  /// Steps per run.
  public var steps: Int
  /// `thread_cpu` (the thread's CPU clock) or `wall` (the monotonic wall clock).
  public var clock: String
  /// The wall-clock median per step (the same as ``medianNanoseconds`` for a `wall` timing).
  public var wallMedianNanoseconds: Double
  /// Runs during which the thread waited on a run queue (was preempted); `nil` when unknown.
  public var preemptedRuns: Int?

  enum CodingKeys: String, CodingKey {
    case medianNanoseconds = "median_ns"
    case minNanoseconds = "min_ns"
    case maxNanoseconds = "max_ns"
    case runs
    case steps
    case clock
    case wallMedianNanoseconds = "wall_median_ns"
    case preemptedRuns = "preempted_runs"
  }

  /// Creates a timing from per-step values.
  public init(
    medianNanoseconds: Double, minNanoseconds: Double, maxNanoseconds: Double, runs: Int, steps: Int,
    clock: String = "wall", wallMedianNanoseconds: Double? = nil, preemptedRuns: Int? = nil
  ) {
    self.medianNanoseconds = medianNanoseconds
    self.minNanoseconds = minNanoseconds
    self.maxNanoseconds = maxNanoseconds
    self.runs = runs
    self.steps = steps
    self.clock = clock
    self.wallMedianNanoseconds = wallMedianNanoseconds ?? medianNanoseconds
    self.preemptedRuns = preemptedRuns
  }

  /// Summarises wall-clock runs of `steps` steps each, given each run's total time in nanoseconds;
  /// `nil` when there is no run or `steps` is not positive.
  public init?(runTotals: [Double], steps: Int) {
    guard let summary = Self.summary(runTotals, steps: steps) else { return nil }
    self.init(
      medianNanoseconds: summary.median, minNanoseconds: summary.min, maxNanoseconds: summary.max,
      runs: runTotals.count, steps: steps)
  }

  /// Summarises the harness's runs of `steps` steps each on their on-CPU times; `nil` when there
  /// is no run or `steps` is not positive.
  public init?(runs: [Run], steps: Int) {
    guard let cpu = Self.summary(runs.map(\.cpu), steps: steps),
      let wall = Self.summary(runs.map(\.wall), steps: steps)
    else { return nil }
    let delays = runs.compactMap(\.delay)
    self.init(
      medianNanoseconds: cpu.median, minNanoseconds: cpu.min, maxNanoseconds: cpu.max, runs: runs.count,
      steps: steps, clock: "thread_cpu", wallMedianNanoseconds: wall.median,
      preemptedRuns: delays.count == runs.count ? delays.filter { $0 > 0 }.count : nil)
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(medianNanoseconds, forKey: .medianNanoseconds)
    try container.encode(minNanoseconds, forKey: .minNanoseconds)
    try container.encode(maxNanoseconds, forKey: .maxNanoseconds)
    try container.encode(runs, forKey: .runs)
    try container.encode(steps, forKey: .steps)
    try container.encode(clock, forKey: .clock)
    try container.encode(wallMedianNanoseconds, forKey: .wallMedianNanoseconds)
    try container.encode(preemptedRuns, forKey: .preemptedRuns)
  }

  /// Median, fastest and slowest of `totals` divided by `steps`.
  private static func summary(_ totals: [Double], steps: Int) -> (median: Double, min: Double, max: Double)? {
    guard !totals.isEmpty, steps > 0 else { return nil }
    let perStep = totals.map { $0 / Double(steps) }.sorted()
    let middle = perStep.count / 2
    let median = perStep.count % 2 == 1 ? perStep[middle] : (perStep[middle - 1] + perStep[middle]) / 2
    return (median, perStep[0], perStep[perStep.count - 1])
  }
}
