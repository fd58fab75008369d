import CanonicalModel

/// Builds small canonical models with distinct, deterministic weights for tests.
enum ModelFactory {
  /// A deterministic pseudo-random sequence (xorshift), so tests need no fixtures.
  struct Numbers {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> Float {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return Float(Int64(bitPattern: state % 2001) - 1000) / 1000
    }
    mutating func tensor(_ shape: [Int]) -> Tensor {
      Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in next() })
    }
  }

  static func lstm(
    input: Int, hidden: Int, direction: Direction = .forward, outputOrder: SequenceOrder = .processing,
    returnSequences: Bool, seed: UInt64, peepholes: Bool = false
  ) -> LSTMLayer {
    var numbers = Numbers(seed: seed)
    func gate() -> GateWeights {
      GateWeights(
        W: numbers.tensor([hidden, input]), U: numbers.tensor([hidden, hidden]), b: numbers.tensor([hidden]))
    }
    var weights = LSTMWeights(input: gate(), forget: gate(), cell: gate(), output: gate())
    if peepholes {
      weights.peepholes = [
        .input: numbers.tensor([hidden]), .forget: numbers.tensor([hidden]), .output: numbers.tensor([hidden]),
      ]
    }
    return LSTMLayer(
      inputSize: input, hiddenSize: hidden, direction: direction, outputOrder: outputOrder,
      returnSequences: returnSequences, weights: weights)
  }

  static func gru(
    input: Int, hidden: Int, direction: Direction = .forward, outputOrder: SequenceOrder = .processing,
    returnSequences: Bool, resetAfter: Bool = true, seed: UInt64
  ) -> GRULayer {
    var numbers = Numbers(seed: seed)
    func gate() -> GateWeights {
      GateWeights(
        W: numbers.tensor([hidden, input]), U: numbers.tensor([hidden, hidden]), b: numbers.tensor([hidden]))
    }
    let weights = GRUWeights(
      update: gate(), reset: gate(), candidate: gate(), candidateRecurrentBias: numbers.tensor([hidden]))
    return GRULayer(
      inputSize: input, hiddenSize: hidden, direction: direction, outputOrder: outputOrder,
      returnSequences: returnSequences, weights: weights, resetAfter: resetAfter)
  }

  /// GRUs in every position: Bidirectional(GRU, reset-before) → GRU(reset-after, clip, constant
  /// initial state) → LSTM → Dense, with GRU state outputs.
  static func gruStack() -> Model {
    var numbers = Numbers(seed: 77)
    var backward = gru(
      input: 3, hidden: 4, direction: .backward, outputOrder: .input, returnSequences: true, resetAfter: false, seed: 12
    )
    backward.activations = GRUActivations(gate: .hardSigmoid(slope: 1.0 / 6, offset: 0.5), candidate: .relu)
    backward.zeroOutputForMask = true
    var middle = gru(input: 4, hidden: 5, returnSequences: true, seed: 13)
    middle.clip = 2.5
    middle.initialHidden = numbers.tensor([2, 5])
    middle.sequenceLengths = Tensor(shape: [2], data: [3, 6])
    return Model(
      inputs: [ModelInput(name: "x", elementType: .float32, shape: [2, 6, 3])],
      layers: [
        Layer(
          name: "bigru",
          kind: .bidirectional(
            BidirectionalLayer(
              forward: gru(input: 3, hidden: 4, returnSequences: true, resetAfter: false, seed: 11), backward: backward,
              mergeMode: .sum))),
        Layer(name: "gru", kind: .gru(middle)),
        Layer(name: "lstm", kind: .lstm(lstm(input: 5, hidden: 3, returnSequences: false, seed: 14))),
        Layer(
          name: "head",
          kind: .dense(DenseLayer(kernel: numbers.tensor([2, 3]), bias: numbers.tensor([2]), activation: .linear))),
      ],
      outputs: [
        ModelOutput(name: "head", layer: 3), ModelOutput(name: "h_back", layer: 0, port: .hiddenState(.backward)),
        ModelOutput(name: "h_all", layer: 0, port: .hiddenStates),
        ModelOutput(name: "h_gru", layer: 1, port: .hiddenStates),
      ],
      source: ModelSource(format: "test", framework: "hand-built", file: "none"))
  }

  /// Every layer kind once: Masking → Bidirectional → LSTM(return_state) → TimeDistributed(Dense)… → Dense → Activation.
  static func everything() -> Model {
    var numbers = Numbers(seed: 99)
    var backward = lstm(input: 3, hidden: 4, direction: .backward, outputOrder: .input, returnSequences: true, seed: 2)
    backward.activations = LSTMActivations(
      gate: .hardSigmoid(slope: 0.2, offset: 0.5), cell: .elu(alpha: 1), hidden: .gelu(approximate: false))
    backward.zeroOutputForMask = true
    var middle = lstm(input: 8, hidden: 5, returnSequences: true, seed: 3, peepholes: true)
    middle.clip = 3.5
    middle.coupledInputForget = true
    middle.usesBias = false
    middle.stateful = true
    let layers = [
      Layer(name: "masking", kind: .masking(MaskingLayer(maskValue: -0.0))),
      Layer(
        name: "bidi",
        kind: .bidirectional(
          BidirectionalLayer(
            forward: lstm(input: 3, hidden: 4, returnSequences: true, seed: 1), backward: backward, mergeMode: .concat)),
        origin: LayerOrigin(name: "bidirectional_7", className: "Bidirectional")),
      Layer(name: "encoder", kind: .lstm(middle)),
      Layer(
        name: "td",
        kind: .timeDistributedDense(DenseLayer(kernel: numbers.tensor([6, 5]), bias: nil, activation: .softplus))),
      Layer(
        name: "last", kind: .lstm(lstm(input: 6, hidden: 2, direction: .backward, returnSequences: false, seed: 4))),
      Layer(
        name: "head",
        kind: .dense(DenseLayer(kernel: numbers.tensor([3, 2]), bias: numbers.tensor([3]), activation: .linear))),
      Layer(name: "probabilities", kind: .activation(.softmax)),
    ]
    return Model(
      inputs: [ModelInput(name: "x", elementType: .float32, shape: [nil, nil, 3])], layers: layers,
      outputs: [
        ModelOutput(name: "probabilities", layer: 6), ModelOutput(name: "h", layer: 2, port: .hiddenState(.forward)),
        ModelOutput(name: "c_back", layer: 1, port: .cellState(.backward)),
      ],
      source: ModelSource(format: "test", framework: "hand-built", file: "none"))
  }

  /// Embedding → LSTM, with int32 inputs.
  static func embedding() -> Model {
    var numbers = Numbers(seed: 5)
    return Model(
      inputs: [ModelInput(name: "tokens", elementType: .int32, shape: [2, 9])],
      layers: [
        Layer(name: "embed", kind: .embedding(EmbeddingLayer(table: numbers.tensor([10, 4]), maskZero: true))),
        Layer(name: "lstm", kind: .lstm(lstm(input: 4, hidden: 3, returnSequences: false, seed: 6))),
      ],
      outputs: [ModelOutput(name: "lstm", layer: 1)],
      source: ModelSource(format: "test", framework: "hand-built", file: "none"))
  }
}
