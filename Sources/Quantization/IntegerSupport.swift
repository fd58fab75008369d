import CanonicalModel

/// What the integer reference handles, checked before a model is quantized or run.
///
/// Supported (schemes `int8x8_16` and `int16x8_16`): one float32 sequence input; LSTM (forward or
/// backward, standard sigmoid/tanh activations, clip, coupled input-forget), GRU
/// (forward or backward, sigmoid/tanh, reset before or after, clip) and Bidirectional
/// of either with `concat` merge; a first Embedding without mask_zero (int32 index input); Dense and TimeDistributed(Dense) with
/// linear or relu activation; Activation linear or relu; LastTimeStep; and a final
/// softmax (Dense or Activation, last layer), applied at the dequantize boundary.
/// Outputs: a layer's output or a recurrent layer's final `h` or `c`.
/// Everything else is refused with one line naming the layer.
enum IntegerSupport {
  /// Throws ``QuantizationError/unsupported(layer:reason:)`` for the first thing the integer reference lacks.
  static func check(_ model: Model, scheme: QuantizationScheme) throws {
    for (index, layer) in model.layers.enumerated() {
      let isLast = index == model.layers.count - 1
      func refuse(_ reason: String) -> QuantizationError { .unsupported(layer: layer.name, reason: reason) }
      switch layer.kind {
      case .lstm(let lstm):
        try checkLSTM(lstm, refuse)
      case .bidirectional(let bi):
        guard bi.mergeMode == .concat else {
          throw refuse("Bidirectional merge mode \(bi.mergeMode.rawValue) has no integer form yet; supported: concat")
        }
        for direction in bi.directions.map(\.1) {
          switch direction {
          case .lstm(let lstm): try checkLSTM(lstm, refuse)
          case .gru(let gru): try checkGRU(gru, refuse)
          }
        }
      case .gru(let gru):
        try checkGRU(gru, refuse)
      case .dense(let dense), .timeDistributedDense(let dense):
        try checkActivation(dense.activation, isLast: isLast, refuse)
        guard dense.inputSize <= maximumColumns else {
          throw refuse("\(dense.inputSize) inputs exceed the \(maximumColumns) an int32 accumulator allows")
        }
      case .activation(let activation):
        try checkActivation(activation, isLast: isLast, refuse)
      case .lastTimeStep:
        continue
      case .embedding(let embedding):
        guard index == 0 else { throw refuse("an Embedding has an integer form only as the first layer") }
        guard !embedding.maskZero else {
          throw refuse("Embedding mask_zero (masking) has no integer form yet; supported: mask_zero false")
        }
      case .masking:
        throw refuse("masking has no integer form yet")
      }
    }
    let input = model.inputs[0]
    let takesIndices = startsWithEmbedding(model)
    guard model.inputs.count == 1,
      takesIndices
        ? input.elementType == .int32 && input.shape.count == 2
        : input.elementType == .float32 && input.shape.count == 3
    else {
      throw QuantizationError.unsupported(
        layer: model.layers[0].name,
        reason:
          "integer inference takes one float32 [batch, time, features] input (int32 [batch, time] indices into a "
          + "first Embedding); this model has \(model.inputs.count) input(s), the first "
          + "\(input.elementType.rawValue) of rank \(input.shape.count)")
    }
    for output in model.outputs {
      guard output.concatenatedLayers == nil else {
        throw QuantizationError.unsupported(
          layer: model.layers[output.layer].name,
          reason: "output '\(output.name)' concatenates several layers; integer inference does not support that yet")
      }
      if case .output = output.port { continue }
      if case .hiddenStates = output.port, model.layers[output.layer].kind.recurrentDirections.count == 2 {
        throw QuantizationError.unsupported(
          layer: model.layers[output.layer].name,
          reason: "output '\(output.name)' (both directions' states) is not supported by integer inference yet")
      }
      if case .cellStates = output.port, model.layers[output.layer].kind.recurrentDirections.count == 2 {
        throw QuantizationError.unsupported(
          layer: model.layers[output.layer].name,
          reason: "output '\(output.name)' (both directions' states) is not supported by integer inference yet")
      }
    }
  }

  /// The widest input an int32 accumulator takes: with int8 weights in -127...127,
  /// int8 values and a bias within ±2^30, `2^30 + 127 * 128 * 65536 < 2^31`.
  static let maximumColumns = 65536

  /// The largest folded bias magnitude (`int8x8_16`; `int16x8_16` accumulates in int64 and
  /// takes any int32 bias: `2^31 + 127 * 32768 * 65536 < 2^40`, far inside the `2^47` that
  /// ``FixedPoint/multiplyWide(_:by:shift:)`` needs).
  static let maximumBias: Int32 = 1 << 30

  /// The largest folded bias magnitude under `scheme`.
  static func maximumBias(_ scheme: QuantizationScheme) -> Int32 {
    scheme == .int8x8_16 ? maximumBias : Int32.max
  }

  /// Whether the model's first layer is an Embedding (its input is int32 indices).
  static func startsWithEmbedding(_ model: Model) -> Bool {
    if case .embedding = model.layers.first?.kind { return true }
    return false
  }

  /// Whether the model's last layer ends in a softmax, which runs at the dequantize boundary.
  static func hasBoundarySoftmax(_ model: Model) -> Bool {
    switch model.layers.last?.kind {
    case .dense(let dense), .timeDistributedDense(let dense): return dense.activation == .softmax
    case .activation(let activation): return activation == .softmax
    default: return false
    }
  }

  private static func checkLSTM(_ lstm: LSTMLayer, _ refuse: (String) -> QuantizationError) throws {
    guard IntegerGateActivation(lstm.activations.gate) != nil, lstm.activations.cell == .tanh,
      lstm.activations.hidden == .tanh
    else {
      throw refuse(
        "LSTM activations \(lstm.activations.gate.name)/\(lstm.activations.cell.name)/\(lstm.activations.hidden.name) "
          + "have no integer form; supported: sigmoid or hard_sigmoid/tanh/tanh")
    }
    guard lstm.weights.peepholes.isEmpty else { throw refuse("LSTM peepholes have no integer form yet") }
    guard lstm.initialHidden == nil, lstm.initialCell == nil, lstm.sequenceLengths == nil else {
      throw refuse("constant initial states and sequence lengths have no integer form yet")
    }
    guard max(lstm.inputSize, lstm.hiddenSize) <= maximumColumns else {
      throw refuse("sizes above \(maximumColumns) exceed what an int32 accumulator allows")
    }
  }

  private static func checkGRU(_ gru: GRULayer, _ refuse: (String) -> QuantizationError) throws {
    guard IntegerGateActivation(gru.activations.gate) != nil, gru.activations.candidate == .tanh else {
      throw refuse(
        "GRU activations \(gru.activations.gate.name)/\(gru.activations.candidate.name) have no integer form; "
          + "supported: sigmoid or hard_sigmoid/tanh")
    }
    guard gru.initialHidden == nil, gru.sequenceLengths == nil else {
      throw refuse("constant initial states and sequence lengths have no integer form yet")
    }
    guard max(gru.inputSize, gru.hiddenSize) <= maximumColumns else {
      throw refuse("sizes above \(maximumColumns) exceed what an int32 accumulator allows")
    }
  }

  private static func checkActivation(
    _ activation: Activation, isLast: Bool, _ refuse: (String) -> QuantizationError
  ) throws {
    switch activation {
    case .linear, .relu: return
    case .softmax where isLast: return
    default:
      throw refuse(
        "activation \(activation.name) has no integer form yet; supported: linear, relu, and softmax on the last layer")
    }
  }
}
