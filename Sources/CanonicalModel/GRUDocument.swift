/// The architecture of one GRU direction as stored in `lstmc-model-1` metadata
/// (everything but the tensors).
struct GRUDocument: Codable, Equatable {
  var inputSize: Int
  var hiddenSize: Int
  var direction: Direction
  var outputOrder: SequenceOrder
  var returnSequences: Bool
  var activations: GRUActivations
  var resetAfter: Bool
  var usesBias: Bool
  var clip: Float?
  var stateful: Bool
  var zeroOutputForMask: Bool
  /// Whether `…initial_h` and `…sequence_lengths` tensors are stored.
  var hasInitialHidden: Bool?
  var hasSequenceLengths: Bool?

  init(_ gru: GRULayer) {
    inputSize = gru.inputSize
    hiddenSize = gru.hiddenSize
    direction = gru.direction
    outputOrder = gru.outputOrder
    returnSequences = gru.returnSequences
    activations = gru.activations
    resetAfter = gru.resetAfter
    usesBias = gru.usesBias
    clip = gru.clip
    stateful = gru.stateful
    zeroOutputForMask = gru.zeroOutputForMask
    hasInitialHidden = gru.initialHidden == nil ? nil : true
    hasSequenceLengths = gru.sequenceLengths == nil ? nil : true
  }

  func layer(weights: GRUWeights) -> GRULayer {
    GRULayer(
      inputSize: inputSize, hiddenSize: hiddenSize, direction: direction, outputOrder: outputOrder,
      returnSequences: returnSequences, weights: weights, activations: activations, resetAfter: resetAfter,
      usesBias: usesBias, clip: clip, stateful: stateful, zeroOutputForMask: zeroOutputForMask)
  }
}
