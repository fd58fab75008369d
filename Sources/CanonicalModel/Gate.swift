/// The four gates of an LSTM cell, named rather than positional.
///
/// Every importer translates its framework's packed order (Keras: i, f, c, o;
/// ONNX: i, o, f, c) into these names in one table; nothing downstream knows a
/// framework's order.
public enum Gate: String, CaseIterable, Sendable, Codable {
  /// The input gate `i`.
  case input
  /// The forget gate `f`.
  case forget
  /// The cell candidate `c` (sometimes called `g`).
  case cell
  /// The output gate `o`.
  case output
}
