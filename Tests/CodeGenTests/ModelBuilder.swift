import CanonicalModel

/// Builds small canonical models with reproducible pseudo-random weights.
struct ModelBuilder {
  private var state: UInt64

  init(seed: UInt64) {
    state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
  }

  /// A value in `[-scale, scale)`.
  mutating func next(_ scale: Float = 0.5) -> Float {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
  }

  mutating func tensor(_ shape: [Int], scale: Float = 0.5) -> Tensor {
    Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in next(scale) })
  }

  /// An LSTM direction with random weights; `peepholes` adds input, forget and output peepholes.
  mutating func lstm(
    input: Int, hidden: Int, direction: Direction = .forward, outputOrder: SequenceOrder = .processing,
    returnSequences: Bool, activations: LSTMActivations = .standard, usesBias: Bool = true, clip: Float? = nil,
    coupled: Bool = false, peepholes: Bool = false, zeroOutputForMask: Bool = false
  ) -> LSTMLayer {
    func gate() -> GateWeights {
      GateWeights(
        W: tensor([hidden, input]), U: tensor([hidden, hidden]),
        b: usesBias ? tensor([hidden]) : Tensor(shape: [hidden]))
    }
    var weights = LSTMWeights(input: gate(), forget: gate(), cell: gate(), output: gate())
    if peepholes {
      weights.peepholes = [.input: tensor([hidden]), .forget: tensor([hidden]), .output: tensor([hidden])]
    }
    return LSTMLayer(
      inputSize: input, hiddenSize: hidden, direction: direction, outputOrder: outputOrder,
      returnSequences: returnSequences, weights: weights, activations: activations, usesBias: usesBias, clip: clip,
      coupledInputForget: coupled, zeroOutputForMask: zeroOutputForMask)
  }

  /// A GRU direction with random weights, different per gate, and a non-zero candidate recurrent bias.
  mutating func gru(
    input: Int, hidden: Int, direction: Direction = .forward, outputOrder: SequenceOrder = .processing,
    returnSequences: Bool, activations: GRUActivations = .standard, resetAfter: Bool = true, usesBias: Bool = true,
    clip: Float? = nil, zeroOutputForMask: Bool = false
  ) -> GRULayer {
    func gate() -> GateWeights {
      GateWeights(
        W: tensor([hidden, input]), U: tensor([hidden, hidden]),
        b: usesBias ? tensor([hidden]) : Tensor(shape: [hidden]))
    }
    let weights = GRUWeights(
      update: gate(), reset: gate(), candidate: gate(),
      candidateRecurrentBias: usesBias ? tensor([hidden]) : Tensor(shape: [hidden]))
    return GRULayer(
      inputSize: input, hiddenSize: hidden, direction: direction, outputOrder: outputOrder,
      returnSequences: returnSequences, weights: weights, activations: activations, resetAfter: resetAfter,
      usesBias: usesBias, clip: clip, zeroOutputForMask: zeroOutputForMask)
  }

  mutating func dense(input: Int, units: Int, activation: Activation = .linear, bias: Bool = true) -> DenseLayer {
    DenseLayer(kernel: tensor([units, input]), bias: bias ? tensor([units]) : nil, activation: activation)
  }

  /// Inputs `[batch, steps, features]` in `[-3, 3)`, with `maskedSteps` (per sample, step) set to `maskValue`.
  mutating func input(
    batch: Int, steps: Int, features: Int, maskedSteps: [(Int, Int)] = [], maskValue: Float = 0
  ) -> Tensor {
    var tensor = tensor([batch, steps, features], scale: 3)
    for (sample, step) in maskedSteps {
      for k in 0..<features { tensor.data[(sample * steps + step) * features + k] = maskValue }
    }
    return tensor
  }

  /// A model over a float sequence input of `features` features.
  static func model(
    features: Int, layers: [Layer], outputs: [ModelOutput], index: Bool = false
  ) -> Model {
    Model(
      inputs: [
        ModelInput(
          name: "x", elementType: index ? .int32 : .float32, shape: index ? [nil, nil] : [nil, nil, features])
      ],
      layers: layers, outputs: outputs, source: ModelSource(format: "test", framework: "lstmc tests", file: "built.in"))
  }
}
