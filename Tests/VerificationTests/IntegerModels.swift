import CanonicalModel
import Quantization

/// Quantized models for the integer code generation tests: random, non-saturating weights that
/// differ per gate, non-zero biases, input size different from hidden size, quantized on
/// calibration sequences and run on other ones.
enum IntegerModels {
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
    /// One gate's `W` (`[hidden, input]`), `U` and `b`, scaled so that gates differ.
    mutating func gate(input: Int, hidden: Int, scale: Float) -> GateWeights {
      GateWeights(
        W: tensor([hidden, input], scale: 0.8 * scale), U: tensor([hidden, hidden], scale: 0.6 * scale),
        b: tensor([hidden], scale: 0.5))
    }
  }

  static let source = ModelSource(format: "test", framework: "hand-built", file: "none")

  static func lstm(
    input: Int, hidden: Int, direction: Direction = .forward, returnSequences: Bool, seed: UInt64
  ) -> LSTMLayer {
    var numbers = Numbers(seed: seed)
    func gate(_ scale: Float) -> GateWeights { numbers.gate(input: input, hidden: hidden, scale: scale) }
    return LSTMLayer(
      inputSize: input, hiddenSize: hidden, direction: direction, returnSequences: returnSequences,
      weights: LSTMWeights(input: gate(1), forget: gate(0.9), cell: gate(1.1), output: gate(0.8)))
  }

  static func gru(
    input: Int, hidden: Int, direction: Direction = .forward, returnSequences: Bool, resetAfter: Bool, seed: UInt64
  ) -> GRULayer {
    var numbers = Numbers(seed: seed)
    func gate(_ scale: Float) -> GateWeights { numbers.gate(input: input, hidden: hidden, scale: scale) }
    return GRULayer(
      inputSize: input, hiddenSize: hidden, direction: direction, returnSequences: returnSequences,
      weights: GRUWeights(
        update: gate(1), reset: gate(0.9), candidate: gate(1.2),
        candidateRecurrentBias: numbers.tensor([hidden], scale: 0.4)),
      resetAfter: resetAfter)
  }

  static func dense(_ units: Int, _ inputs: Int, _ activation: Activation, seed: UInt64) -> DenseLayer {
    var numbers = Numbers(seed: seed)
    return DenseLayer(
      kernel: numbers.tensor([units, inputs]), bias: numbers.tensor([units], scale: 0.3), activation: activation)
  }

  /// Streams (every LSTM forward): LSTM(7, sequences) → TimeDistributed(Dense 6, relu) →
  /// Activation relu → LSTM(6, last step, clip, coupled input-forget) → Dense(4, softmax); outputs the
  /// probabilities, the Dense sequence, and the last LSTM's final h and c.
  static func streaming() -> Model {
    var last = lstm(input: 6, hidden: 6, returnSequences: false, seed: 5)
    last.clip = 2.0
    last.coupledInputForget = true
    return Model(
      inputs: [ModelInput(name: "x", elementType: .float32, shape: [nil, nil, 5])],
      layers: [
        Layer(name: "lstm", kind: .lstm(lstm(input: 5, hidden: 7, returnSequences: true, seed: 1))),
        Layer(name: "td", kind: .timeDistributedDense(dense(6, 7, .relu, seed: 2))),
        Layer(name: "relu", kind: .activation(.relu)),
        Layer(name: "lstm_1", kind: .lstm(last)),
        Layer(name: "head", kind: .dense(dense(4, 6, .softmax, seed: 3))),
      ],
      outputs: [
        ModelOutput(name: "probabilities", layer: 4), ModelOutput(name: "td", layer: 1),
        ModelOutput(name: "h", layer: 3, port: .hiddenState(.forward)),
        ModelOutput(name: "c", layer: 3, port: .cellState(.forward)),
      ],
      source: source)
  }

  /// Buffers: Bidirectional(LSTM 6 + 6, concat) → LSTM backward (processing order, clip, coupled) →
  /// TimeDistributed(Dense 3, relu) → LastTimeStep → Dense(3, linear); outputs y, the middle LSTM's
  /// sequence, and its final h and c.
  static func buffered() -> Model {
    var middle = lstm(input: 12, hidden: 5, direction: .backward, returnSequences: true, seed: 4)
    middle.clip = 2.5
    middle.coupledInputForget = true
    middle.outputOrder = .processing
    return Model(
      inputs: [ModelInput(name: "x", elementType: .float32, shape: [nil, nil, 4])],
      layers: [
        Layer(
          name: "bidi",
          kind: .bidirectional(
            BidirectionalLayer(
              forward: lstm(input: 4, hidden: 6, returnSequences: true, seed: 2),
              backward: {
                var backward = lstm(input: 4, hidden: 6, direction: .backward, returnSequences: true, seed: 3)
                backward.outputOrder = .input
                return backward
              }(),
              mergeMode: .concat))),
        Layer(name: "middle", kind: .lstm(middle)),
        Layer(name: "td", kind: .timeDistributedDense(dense(3, 5, .relu, seed: 6))),
        Layer(name: "last", kind: .lastTimeStep),
        Layer(name: "out", kind: .dense(dense(3, 3, .linear, seed: 7))),
      ],
      outputs: [
        ModelOutput(name: "y", layer: 4), ModelOutput(name: "middle", layer: 1),
        ModelOutput(name: "h", layer: 1, port: .hiddenState(.backward)),
        ModelOutput(name: "c", layer: 1, port: .cellState(.backward)),
      ],
      source: source)
  }

  /// Streams, GRU: GRU(7, sequences, reset after) → TimeDistributed(Dense 6, relu) → GRU(6, last step,
  /// reset before, clip) → Dense(4, softmax); outputs the probabilities, the Dense sequence and the
  /// last GRU's final h.
  static func streamingGRU() -> Model {
    var last = gru(input: 6, hidden: 6, returnSequences: false, resetAfter: false, seed: 15)
    last.clip = 2.0
    return Model(
      inputs: [ModelInput(name: "x", elementType: .float32, shape: [nil, nil, 5])],
      layers: [
        Layer(name: "gru", kind: .gru(gru(input: 5, hidden: 7, returnSequences: true, resetAfter: true, seed: 11))),
        Layer(name: "td", kind: .timeDistributedDense(dense(6, 7, .relu, seed: 12))),
        Layer(name: "gru_1", kind: .gru(last)),
        Layer(name: "head", kind: .dense(dense(4, 6, .softmax, seed: 13))),
      ],
      outputs: [
        ModelOutput(name: "probabilities", layer: 3), ModelOutput(name: "td", layer: 1),
        ModelOutput(name: "h", layer: 2, port: .hiddenState(.forward)),
      ],
      source: source)
  }

  /// Buffers, GRU: Bidirectional(GRU 6 + 6 reset before, concat) → GRU backward (reset after,
  /// processing order, clip) → TimeDistributed(Dense 3, relu) → LastTimeStep → Dense(3, linear);
  /// outputs y, the middle GRU's sequence and its final h.
  static func bufferedGRU() -> Model {
    var middle = gru(input: 12, hidden: 5, direction: .backward, returnSequences: true, resetAfter: true, seed: 14)
    middle.clip = 2.5
    middle.outputOrder = .processing
    var backward = gru(input: 4, hidden: 6, direction: .backward, returnSequences: true, resetAfter: false, seed: 17)
    backward.outputOrder = .input
    return Model(
      inputs: [ModelInput(name: "x", elementType: .float32, shape: [nil, nil, 4])],
      layers: [
        Layer(
          name: "bidi",
          kind: .bidirectional(
            BidirectionalLayer(
              forward: gru(input: 4, hidden: 6, returnSequences: true, resetAfter: false, seed: 16),
              backward: backward, mergeMode: .concat))),
        Layer(name: "middle", kind: .gru(middle)),
        Layer(name: "td", kind: .timeDistributedDense(dense(3, 5, .relu, seed: 18))),
        Layer(name: "last", kind: .lastTimeStep),
        Layer(name: "out", kind: .dense(dense(3, 3, .linear, seed: 19))),
      ],
      outputs: [
        ModelOutput(name: "y", layer: 4), ModelOutput(name: "middle", layer: 1),
        ModelOutput(name: "h", layer: 1, port: .hiddenState(.backward)),
      ],
      source: source)
  }

  /// Embedding(11, 5) → GRU(6, sequences, reset after) → LSTM(4, last) → Dense(3, softmax); outputs the
  /// probabilities and the GRU's sequence. Its input is int32 indices.
  static func embedding() -> Model {
    var numbers = Numbers(seed: 31)
    return Model(
      inputs: [ModelInput(name: "tokens", elementType: .int32, shape: [nil, nil])],
      layers: [
        Layer(
          name: "embed", kind: .embedding(EmbeddingLayer(table: numbers.tensor([11, 5], scale: 1.5), maskZero: false))),
        Layer(name: "gru", kind: .gru(gru(input: 5, hidden: 6, returnSequences: true, resetAfter: true, seed: 32))),
        Layer(name: "lstm", kind: .lstm(lstm(input: 6, hidden: 4, returnSequences: false, seed: 33))),
        Layer(name: "head", kind: .dense(dense(3, 4, .softmax, seed: 34))),
      ],
      outputs: [ModelOutput(name: "p", layer: 3), ModelOutput(name: "gru", layer: 1)],
      source: source)
  }

  /// No recurrent layer: TimeDistributed(Dense 6, relu) → LastTimeStep → Dense(3, linear); outputs y and
  /// the Dense sequence.
  static func denseOnly() -> Model {
    Model(
      inputs: [ModelInput(name: "x", elementType: .float32, shape: [nil, nil, 5])],
      layers: [
        Layer(name: "td", kind: .timeDistributedDense(dense(6, 5, .relu, seed: 41))),
        Layer(name: "last", kind: .lastTimeStep),
        Layer(name: "out", kind: .dense(dense(3, 6, .linear, seed: 42))),
      ],
      outputs: [ModelOutput(name: "y", layer: 2), ModelOutput(name: "td", layer: 0)],
      source: source)
  }

  /// `count` batches of `[batch, time]` indices in 0..<11.
  static func indexBatches(count: Int, batch: Int, time: Int, seed: UInt64) -> [[Tensor]] {
    var numbers = Numbers(seed: seed)
    return (0..<count).map { _ in
      [Tensor(shape: [batch, time], data: (0..<(batch * time)).map { _ in Float(Int((numbers.next() + 1) * 5.49)) })]
    }
  }

  /// `count` batches of `[batch, time, features]` sequences in [-scale, scale].
  static func batches(count: Int, batch: Int, time: Int, features: Int, seed: UInt64, scale: Float = 2) -> [[Tensor]] {
    var numbers = Numbers(seed: seed)
    return (0..<count).map { _ in [numbers.tensor([batch, time, features], scale: scale)] }
  }

  /// `model` quantized on calibration sequences (not the test ones).
  static func quantized(
    _ model: Model, granularity: WeightGranularity, scheme: QuantizationScheme = .int8x8_16
  ) throws -> Model {
    let calibrationBatches =
      model.inputs[0].elementType == .int32
      ? indexBatches(count: 6, batch: 4, time: 10, seed: 21)
      : batches(count: 6, batch: 4, time: 10, features: model.inputs[0].shape[2] ?? 0, seed: 21)
    let calibration = try Calibration.record(model, batches: calibrationBatches)
    return try Quantizer(scheme: scheme, granularity: granularity).quantize(model, calibration: calibration)
  }
}
