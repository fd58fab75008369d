/// The architecture of one LSTM direction as stored in `lstmc-model-1` metadata
/// (everything but the tensors).
struct LSTMDocument: Codable, Equatable {
  var inputSize: Int
  var hiddenSize: Int
  var direction: Direction
  var outputOrder: SequenceOrder
  var returnSequences: Bool
  var activations: LSTMActivations
  var usesBias: Bool
  var clip: Float?
  var coupledInputForget: Bool
  var stateful: Bool
  var zeroOutputForMask: Bool
  var peepholes: [Gate]
  /// Whether `…initial_h`, `…initial_c`, `…sequence_lengths` tensors are stored (absent in older files).
  var hasInitialHidden: Bool?
  var hasInitialCell: Bool?
  var hasSequenceLengths: Bool?

  init(_ lstm: LSTMLayer) {
    inputSize = lstm.inputSize
    hiddenSize = lstm.hiddenSize
    direction = lstm.direction
    outputOrder = lstm.outputOrder
    returnSequences = lstm.returnSequences
    activations = lstm.activations
    usesBias = lstm.usesBias
    clip = lstm.clip
    coupledInputForget = lstm.coupledInputForget
    stateful = lstm.stateful
    zeroOutputForMask = lstm.zeroOutputForMask
    peepholes = Gate.allCases.filter { lstm.weights.peepholes[$0] != nil }
    hasInitialHidden = lstm.initialHidden == nil ? nil : true
    hasInitialCell = lstm.initialCell == nil ? nil : true
    hasSequenceLengths = lstm.sequenceLengths == nil ? nil : true
  }

  func layer(weights: LSTMWeights) -> LSTMLayer {
    LSTMLayer(
      inputSize: inputSize, hiddenSize: hiddenSize, direction: direction, outputOrder: outputOrder,
      returnSequences: returnSequences, weights: weights, activations: activations, usesBias: usesBias,
      clip: clip, coupledInputForget: coupledInputForget, stateful: stateful,
      zeroOutputForMask: zeroOutputForMask)
  }
}
