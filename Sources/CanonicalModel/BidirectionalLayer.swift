/// Two LSTMs over the same input, one forward and one backward, merged per step.
///
/// The backward layer's sequence is aligned to input time before merging, as
/// Keras and ONNX both do.
public struct BidirectionalLayer: Equatable, Sendable {
  /// The forward LSTM (``Direction/forward``).
  public var forward: LSTMLayer
  /// The backward LSTM (``Direction/backward``, ``SequenceOrder/input``).
  public var backward: LSTMLayer
  /// How the two outputs are combined.
  public var mergeMode: MergeMode

  /// Creates a Bidirectional layer.
  public init(forward: LSTMLayer, backward: LSTMLayer, mergeMode: MergeMode) {
    self.forward = forward
    self.backward = backward
    self.mergeMode = mergeMode
  }

  /// The layers by direction, forward first.
  public var directions: [(Direction, LSTMLayer)] { [(.forward, forward), (.backward, backward)] }

  /// Features per output step.
  public var outputSize: Int {
    mergeMode == .concat ? forward.hiddenSize + backward.hiddenSize : forward.hiddenSize
  }
}
