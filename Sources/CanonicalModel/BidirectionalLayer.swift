/// Two recurrent layers (LSTMs or GRUs) over the same input, one forward and one backward,
/// merged per step.
///
/// The backward layer's sequence is aligned to input time before merging, as
/// Keras and ONNX both do.
public struct BidirectionalLayer: Equatable, Sendable {
  /// The forward layer (``Direction/forward``).
  public var forward: RecurrentLayer
  /// The backward layer (``Direction/backward``, ``SequenceOrder/input``), of the same cell kind.
  public var backward: RecurrentLayer
  /// How the two outputs are combined.
  public var mergeMode: MergeMode

  /// Creates a Bidirectional layer.
  public init(forward: RecurrentLayer, backward: RecurrentLayer, mergeMode: MergeMode) {
    self.forward = forward
    self.backward = backward
    self.mergeMode = mergeMode
  }

  /// Creates a Bidirectional LSTM layer.
  public init(forward: LSTMLayer, backward: LSTMLayer, mergeMode: MergeMode) {
    self.init(forward: .lstm(forward), backward: .lstm(backward), mergeMode: mergeMode)
  }

  /// Creates a Bidirectional GRU layer.
  public init(forward: GRULayer, backward: GRULayer, mergeMode: MergeMode) {
    self.init(forward: .gru(forward), backward: .gru(backward), mergeMode: mergeMode)
  }

  /// The layers by direction, forward first.
  public var directions: [(Direction, RecurrentLayer)] { [(.forward, forward), (.backward, backward)] }

  /// `LSTM` or `GRU`: the cell kind of the forward layer.
  public var cellName: String { forward.cellName }

  /// Features per output step.
  public var outputSize: Int {
    mergeMode == .concat ? forward.hiddenSize + backward.hiddenSize : forward.hiddenSize
  }
}
