/// Several timed runs of the same work, per step: their median, fastest and slowest.
public struct BenchmarkTiming: Codable, Equatable, Sendable {
  /// The median over the runs, in nanoseconds per step.
  public var medianNanoseconds: Double
  /// The fastest run, in nanoseconds per step.
  public var minNanoseconds: Double
  /// The slowest run, in nanoseconds per step.
  public var maxNanoseconds: Double
  /// The number of timed runs.
  public var runs: Int
  /// Steps per run.
  public var steps: Int

  enum CodingKeys: String, CodingKey {
    case medianNanoseconds = "median_ns"
    case minNanoseconds = "min_ns"
    case maxNanoseconds = "max_ns"
    case runs
    case steps
  }

  /// Creates a timing from per-step values.
  public init(medianNanoseconds: Double, minNanoseconds: Double, maxNanoseconds: Double, runs: Int, steps: Int) {
    self.medianNanoseconds = medianNanoseconds
    self.minNanoseconds = minNanoseconds
    self.maxNanoseconds = maxNanoseconds
    self.runs = runs
    self.steps = steps
  }

  /// Summarises runs of `steps` steps each, given each run's total time in nanoseconds;
  /// `nil` when there is no run or `steps` is not positive.
  public init?(runTotals: [Double], steps: Int) {
    guard !runTotals.isEmpty, steps > 0 else { return nil }
    let perStep = runTotals.map { $0 / Double(steps) }.sorted()
    let middle = perStep.count / 2
    let median = perStep.count % 2 == 1 ? perStep[middle] : (perStep[middle - 1] + perStep[middle]) / 2
    self.init(
      medianNanoseconds: median, minNanoseconds: perStep[0], maxNanoseconds: perStep[perStep.count - 1],
      runs: perStep.count, steps: steps)
  }
}
