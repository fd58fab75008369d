/// How much memory the generated C needs, as the header's memory report states it.
public struct CMemoryReport: Sendable, Equatable, Codable {
  /// The `static const` weight tables (read-only memory).
  public var weightsBytes: Int
  /// Recurrent state kept between steps (h, c and output flags).
  public var stateBytes: Int
  /// Per-step work space inside the state struct.
  public var scratchBytes: Int
  /// Sequence buffers inside the state struct (0 for models that stream).
  public var bufferBytes: Int
  /// `sizeof(name_state_t)`.
  public var stateStructBytes: Int
  /// Measured code size, when known.
  public var codeBytes: Int?
  /// Measured stack use of `name_predict`, when known.
  public var stackBytes: Int?
  /// Measured stack use of `name_step`, when known (streaming models).
  public var stepStackBytes: Int?

  /// One line for the CLI, e.g. `weights 768 bytes, state 44 bytes, scratch 120 bytes, ...`.
  public var summary: String {
    "weights \(weightsBytes) bytes, state \(stateBytes) bytes, scratch \(scratchBytes) bytes, "
      + "sequence buffers \(bufferBytes) bytes (state struct \(stateStructBytes) bytes per instance); "
      + "code \(codeBytes.map { "\($0) bytes" } ?? "not measured"), stack \(stackBytes.map { "\($0) bytes" } ?? "not measured")"
      + (stepStackBytes.map { " (predict), \($0) bytes (step)" } ?? "")
  }
}
