extension LayerKind {
  /// The LSTM directions of a recurrent layer, forward first (one for an LSTM, two for a
  /// Bidirectional); empty for every other kind.
  public var recurrentDirections: [LSTMLayer] {
    switch self {
    case .lstm(let lstm): return [lstm]
    case .bidirectional(let bidirectional): return [bidirectional.forward, bidirectional.backward]
    default: return []
    }
  }
}
