/// The time order of the sequence a backward recurrent layer returns.
public enum SequenceOrder: String, Sendable, Codable {
  /// Output step `t` is the `t`-th step processed: a backward layer's sequence
  /// comes out reversed relative to its input (Keras `go_backwards`).
  case processing
  /// Output step `t` belongs to input step `t` (ONNX `reverse`, and the backward
  /// half of a Bidirectional layer before merging).
  case input
}
