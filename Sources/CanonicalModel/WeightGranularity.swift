/// Whether a weight matrix has one scale per output row or one for the whole matrix.
public enum WeightGranularity: String, Sendable, Codable, CaseIterable {
  /// One scale per output channel (per gate row): the default, and the more accurate.
  case perChannel = "per_channel"
  /// One scale per matrix (CMSIS-NN's LSTM layout).
  case perTensor = "per_tensor"
}
