/// The three gates of a GRU cell, named rather than positional.
///
/// Keras packs them z, r, h; ONNX z, r, h; PyTorch r, z, n. Every importer
/// translates its framework's order into these names in one table; nothing
/// downstream knows a framework's order.
public enum GRUGate: String, CaseIterable, Sendable, Codable {
  /// The update gate `z`: how much of the previous state is kept.
  case update
  /// The reset gate `r`: how much of the previous state feeds the candidate.
  case reset
  /// The candidate state `n` (ONNX `h`, Keras `hh`).
  case candidate
}
