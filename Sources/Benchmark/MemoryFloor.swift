/// The memory floor of a step: the time to read the model's weight bytes once at the read
/// bandwidth measured in the same run, from a buffer of the same size (so from the same level of
/// the cache hierarchy the weights live in). A step reads every weight once, so it cannot be
/// faster than this however fast the arithmetic is.
public struct MemoryFloor: Codable, Equatable, Sendable {
  /// The model's weight bytes (the generated code's `static const` tables).
  public var bytes: Int
  /// The measured read bandwidth from a buffer of ``bufferBytes`` bytes, in bytes per nanosecond.
  public var bytesPerNanosecond: Double
  /// The size of the buffer the bandwidth was measured on (``bytes`` rounded up to whole blocks).
  public var bufferBytes: Int
  /// `bytes / bytesPerNanosecond`.
  public var nanosecondsPerStep: Double

  enum CodingKeys: String, CodingKey {
    case bytes
    case bytesPerNanosecond = "bytes_per_ns"
    case bufferBytes = "buffer_bytes"
    case nanosecondsPerStep = "ns_per_step"
  }

  /// Creates a floor from the weight bytes and a measured bandwidth.
  public init(bytes: Int, bytesPerNanosecond: Double, bufferBytes: Int) {
    self.bytes = bytes
    self.bytesPerNanosecond = bytesPerNanosecond
    self.bufferBytes = bufferBytes
    self.nanosecondsPerStep = Double(bytes) / bytesPerNanosecond
  }

  /// Reads the peak program's `read BYTES PASSES NANOSECONDS` line; `nil` when there is none.
  public static func parse(_ output: String, weightBytes: Int) -> MemoryFloor? {
    for line in output.split(separator: "\n") {
      let words = line.split(separator: " ")
      guard words.count == 4, words[0] == "read", let buffer = Int(words[1]), let passes = Double(words[2]),
        let nanoseconds = Double(words[3]), nanoseconds > 0, buffer > 0, passes > 0
      else { continue }
      return MemoryFloor(
        bytes: weightBytes, bytesPerNanosecond: Double(buffer) * passes / nanoseconds, bufferBytes: buffer)
    }
    return nil
  }
}
