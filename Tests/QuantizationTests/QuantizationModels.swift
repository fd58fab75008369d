import CanonicalModel

/// Small float models with distinct deterministic weights, and calibration and test data for them.
enum QuantizationModels {
  /// xorshift numbers in [-1, 1].
  struct Numbers {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> Float {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return Float(Int64(bitPattern: state % 2001) - 1000) / 1000
    }
    mutating func tensor(_ shape: [Int], scale: Float = 1) -> Tensor {
      Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in scale * next() })
    }
    /// One gate's `W` `[hidden, input]`, `U` and `b`, each at its own scale.
    mutating func gate(input: Int, hidden: Int) -> GateWeights {
      GateWeights(
        W: tensor([hidden, input], scale: 0.8), U: tensor([hidden, hidden], scale: 0.6),
        b: tensor([hidden], scale: 0.5))
    }
  }

  static func lstm(
    input: Int, hidden: Int, direction: Direction = .forward, returnSequences: Bool, seed: UInt64
  ) -> LSTMLayer {
    var numbers = Numbers(seed: seed)
    func gate() -> GateWeights { numbers.gate(input: input, hidden: hidden) }
    return LSTMLayer(
      inputSize: input, hiddenSize: hidden, direction: direction, returnSequences: returnSequences,
      weights: LSTMWeights(input: gate(), forget: gate(), cell: gate(), output: gate()))
  }

  static func gru(
    input: Int, hidden: Int, direction: Direction = .forward, returnSequences: Bool, resetAfter: Bool = true,
    seed: UInt64
  ) -> GRULayer {
    var numbers = Numbers(seed: seed)
    func gate() -> GateWeights { numbers.gate(input: input, hidden: hidden) }
    return GRULayer(
      inputSize: input, hiddenSize: hidden, direction: direction, returnSequences: returnSequences,
      weights: GRUWeights(
        update: gate(), reset: gate(), candidate: gate(), candidateRecurrentBias: numbers.tensor([hidden], scale: 0.4)),
      resetAfter: resetAfter)
  }

  /// Bidirectional(GRU reset-after, GRU reset-before backward, concat) → GRU (backward, reset
  /// `middleResetAfter`, clip) → Dense(3, softmax), with the middle layer's final `h` as a second output.
  static func gruStack(middleResetAfter: Bool) -> Model {
    var numbers = Numbers(seed: 14)
    var middle = gru(
      input: 12, hidden: 7, direction: .backward, returnSequences: false, resetAfter: middleResetAfter, seed: 12)
    middle.clip = 3
    return Model(
      inputs: [ModelInput(name: "x", elementType: .float32, shape: [nil, nil, 4])],
      layers: [
        Layer(
          name: "bidi",
          kind: .bidirectional(
            BidirectionalLayer(
              forward: .gru(gru(input: 4, hidden: 6, returnSequences: true, seed: 10)),
              backward: .gru(
                gru(input: 4, hidden: 6, direction: .backward, returnSequences: true, resetAfter: false, seed: 11)),
              mergeMode: .concat))),
        Layer(name: "middle", kind: .gru(middle)),
        Layer(
          name: "head",
          kind: .dense(
            DenseLayer(kernel: numbers.tensor([3, 7]), bias: numbers.tensor([3], scale: 0.3), activation: .softmax))),
      ],
      outputs: [ModelOutput(name: "p", layer: 2), ModelOutput(name: "h", layer: 1, port: .hiddenState(.backward))],
      source: source)
  }

  static let source = ModelSource(format: "test", framework: "hand-built", file: "none")

  /// LSTM(8) → Dense(4, softmax): the classifier shape of issue 12.
  static func classifier(features: Int = 5) -> Model {
    var numbers = Numbers(seed: 3)
    return Model(
      inputs: [ModelInput(name: "x", elementType: .float32, shape: [nil, nil, features])],
      layers: [
        Layer(name: "lstm", kind: .lstm(lstm(input: features, hidden: 8, returnSequences: false, seed: 1))),
        Layer(
          name: "head",
          kind: .dense(
            DenseLayer(kernel: numbers.tensor([4, 8]), bias: numbers.tensor([4], scale: 0.3), activation: .softmax))),
      ],
      outputs: [ModelOutput(name: "probabilities", layer: 1)], source: source)
  }

  /// Bidirectional(LSTM, concat) → LSTM (backward, clip, coupled) → TimeDistributed(Dense, relu) →
  /// LastTimeStep, with the final h and c of the middle layer as outputs.
  static func stack() -> Model {
    var numbers = Numbers(seed: 8)
    var middle = lstm(input: 12, hidden: 5, direction: .backward, returnSequences: true, seed: 4)
    middle.clip = 2.5
    middle.coupledInputForget = true
    return Model(
      inputs: [ModelInput(name: "x", elementType: .float32, shape: [nil, nil, 4])],
      layers: [
        Layer(
          name: "bidi",
          kind: .bidirectional(
            BidirectionalLayer(
              forward: lstm(input: 4, hidden: 6, returnSequences: true, seed: 2),
              backward: lstm(input: 4, hidden: 6, direction: .backward, returnSequences: true, seed: 3),
              mergeMode: .concat))),
        Layer(name: "middle", kind: .lstm(middle)),
        Layer(
          name: "td",
          kind: .timeDistributedDense(
            DenseLayer(kernel: numbers.tensor([3, 5]), bias: numbers.tensor([3], scale: 0.2), activation: .relu))),
        Layer(name: "last", kind: .lastTimeStep),
      ],
      outputs: [
        ModelOutput(name: "y", layer: 3), ModelOutput(name: "h", layer: 1, port: .hiddenState(.backward)),
        ModelOutput(name: "c", layer: 1, port: .cellState(.backward)),
      ],
      source: source)
  }

  /// `count` batches of `[batch, time, features]` sequences, values in [-scale, scale].
  static func batches(count: Int, batch: Int = 4, time: Int = 10, features: Int, seed: UInt64, scale: Float = 2)
    -> [[Tensor]]
  {
    var numbers = Numbers(seed: seed)
    return (0..<count).map { _ in [numbers.tensor([batch, time, features], scale: scale)] }
  }
}
