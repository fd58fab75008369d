/// Which part of a layer's weights to look up.
enum KerasWeightPart: Equatable, Sendable {
  /// The layer's own weights (LSTM, Dense, Embedding).
  case layer
  /// A Bidirectional layer's forward LSTM.
  case forward
  /// A Bidirectional layer's backward LSTM.
  case backward
  /// The layer a TimeDistributed wrapper applies.
  case wrapped

  /// A prefix for weight names in messages (`forward `, `backward `, or nothing).
  var messagePrefix: String {
    switch self {
    case .forward: return "forward "
    case .backward: return "backward "
    case .layer, .wrapped: return ""
    }
  }
}
