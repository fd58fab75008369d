/// What a layer computes.
public enum LayerKind: Equatable, Sendable {
  /// A unidirectional LSTM.
  case lstm(LSTMLayer)
  /// A unidirectional GRU.
  case gru(GRULayer)
  /// A forward and a backward LSTM (or GRU) merged.
  case bidirectional(BidirectionalLayer)
  /// A Dense layer on the last axis.
  case dense(DenseLayer)
  /// Keras `TimeDistributed(Dense)`: the same computation as ``dense(_:)`` on a sequence.
  case timeDistributedDense(DenseLayer)
  /// An integer-index lookup table.
  case embedding(EmbeddingLayer)
  /// Keras `Masking`.
  case masking(MaskingLayer)
  /// A standalone activation.
  case activation(Activation)
  /// The last step of a sequence: `[batch, time, features]` to `[batch, features]`,
  /// `y[b, f] = x[b, time - 1, f]` (PyTorch's `y[:, -1]`). The step is picked by position,
  /// whatever the mask says, and the mask is dropped. No parameters, no state. After a
  /// Bidirectional layer returning sequences this is the forward direction after the whole
  /// sequence next to the backward direction after only the last input step, unlike
  /// Keras's `return_sequences=False` (both directions' final states).
  case lastTimeStep

  /// A short name for messages and `inspect`: `LSTM`, `GRU`, `Bidirectional`, `Dense`, ...
  public var kindName: String {
    switch self {
    case .lstm: return "LSTM"
    case .gru: return "GRU"
    case .bidirectional: return "Bidirectional"
    case .dense: return "Dense"
    case .timeDistributedDense: return "TimeDistributed(Dense)"
    case .embedding: return "Embedding"
    case .masking: return "Masking"
    case .activation: return "Activation"
    case .lastTimeStep: return "LastTimeStep"
    }
  }

  /// The number of parameters the layer holds.
  public var parameterCount: Int {
    switch self {
    case .lstm(let lstm): return lstm.parameterCount
    case .gru(let gru): return gru.parameterCount
    case .bidirectional(let bi): return bi.forward.parameterCount + bi.backward.parameterCount
    case .dense(let dense), .timeDistributedDense(let dense): return dense.parameterCount
    case .embedding(let embedding): return embedding.table.elementCount
    case .masking, .activation, .lastTimeStep: return 0
    }
  }
}
