extension LayerKind {
  /// The directions of a recurrent layer, forward first (one for an LSTM or a GRU, two for a
  /// Bidirectional); empty for every other kind.
  public var recurrentDirections: [RecurrentLayer] {
    switch self {
    case .lstm(let lstm): return [.lstm(lstm)]
    case .gru(let gru): return [.gru(gru)]
    case .bidirectional(let bidirectional): return [bidirectional.forward, bidirectional.backward]
    default: return []
    }
  }

  /// Whether the layer is recurrent (an LSTM, a GRU or a Bidirectional of either).
  public var isRecurrent: Bool { !recurrentDirections.isEmpty }

  /// A single-direction LSTM or GRU as a ``RecurrentLayer``; `nil` for a Bidirectional and every other kind.
  public var singleRecurrent: RecurrentLayer? {
    switch self {
    case .lstm(let lstm): return .lstm(lstm)
    case .gru(let gru): return .gru(gru)
    default: return nil
    }
  }

  /// `directions * hidden` for a recurrent layer, `nil` for any other.
  public var stateSize: Int? {
    let directions = recurrentDirections
    return directions.isEmpty ? nil : directions.reduce(0) { $0 + $1.hiddenSize }
  }
}
