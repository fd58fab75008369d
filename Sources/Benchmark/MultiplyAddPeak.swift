/// The machine's single-thread float32 multiply-add throughput, as the peak microbenchmark
/// measured it under the benchmark's compiler flags.
public struct MultiplyAddPeak: Codable, Equatable, Sendable {
  /// Multiply-adds per nanosecond of the fastest kernel.
  public var macsPerNanosecond: Double
  /// The same in GFLOP/s (a multiply-add is two floating-point operations).
  public var gflops: Double { macsPerNanosecond * 2 }
  /// The fastest kernel's number of independent float32 chains.
  public var lanes: Int
  /// The flags the microbenchmark was compiled with (the benchmark's, plus `-ffp-contract=fast`).
  public var cflags: [String]

  enum CodingKeys: String, CodingKey {
    case macsPerNanosecond = "mac_per_ns"
    case gflops
    case lanes
    case cflags
  }

  /// Creates a peak.
  public init(macsPerNanosecond: Double, lanes: Int, cflags: [String]) {
    self.macsPerNanosecond = macsPerNanosecond
    self.lanes = lanes
    self.cflags = cflags
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    macsPerNanosecond = try container.decode(Double.self, forKey: .macsPerNanosecond)
    lanes = try container.decode(Int.self, forKey: .lanes)
    cflags = try container.decode([String].self, forKey: .cflags)
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(macsPerNanosecond, forKey: .macsPerNanosecond)
    try container.encode(gflops, forKey: .gflops)
    try container.encode(lanes, forKey: .lanes)
    try container.encode(cflags, forKey: .cflags)
  }

  /// Reads the microbenchmark's `peak LANES MACS NANOSECONDS` lines and keeps the fastest kernel.
  ///
  /// - Throws: ``BenchmarkError/unreadableOutput(program:output:)`` when there is no such line.
  public static func parse(_ output: String, cflags: [String]) throws -> MultiplyAddPeak {
    var best: MultiplyAddPeak?
    for line in output.split(separator: "\n") {
      let words = line.split(separator: " ")
      guard words.count == 4, words[0] == "peak", let lanes = Int(words[1]), let macs = Double(words[2]),
        let nanoseconds = Double(words[3]), nanoseconds > 0, macs > 0
      else { continue }
      let rate = macs / nanoseconds
      if rate > (best?.macsPerNanosecond ?? 0) {
        best = MultiplyAddPeak(macsPerNanosecond: rate, lanes: lanes, cflags: cflags)
      }
    }
    guard let best else { throw BenchmarkError.unreadableOutput(program: "peak microbenchmark", output: output) }
    return best
  }
}
