import CanonicalModel

extension Interpreter {
  /// Runs one layer on the value the chain hands it (already checked by `validate()`).
  func evaluate(
    _ layer: Layer, kernels: [RecurrentKernel], on value: LayerValue, initialHidden: [Float]? = nil,
    initialCell: [Float]? = nil, observe: Bool = false
  ) throws -> LayerResult {
    switch layer.kind {
    case .lstm, .gru:
      let direction = kernels[0].settings.direction
      let result = kernels[0].run(value, initialHidden: initialHidden, initialCell: initialCell, observe: observe)
      var states = Self.states(of: result, direction: direction)
      states[.hiddenStates] = states[.hiddenState(direction)]
      states[.cellStates] = states[.cellState(direction)]
      return LayerResult(output: result.output, states: states, observations: [result.observedRanges].compactMap { $0 })
    case .bidirectional(let bi):
      // A [batch, 2H] initial state holds the forward half first.
      func half(_ state: [Float]?, _ second: Bool) -> [Float]? {
        guard let state else { return nil }
        let hidden = bi.forward.hiddenSize
        var part: [Float] = []
        for sample in 0..<value.batch {
          let start = sample * 2 * hidden + (second ? hidden : 0)
          part.append(contentsOf: state[start..<(start + hidden)])
        }
        return part
      }
      let forward = kernels[0].run(
        value, initialHidden: half(initialHidden, false), initialCell: half(initialCell, false), observe: observe)
      let backward = kernels[1].run(
        value, initialHidden: half(initialHidden, true), initialCell: half(initialCell, true), observe: observe)
      var output = Self.merge(forward.output, backward.output, mode: bi.mergeMode)
      // Both halves see the same mask; the merged sequence keeps the input's.
      output.mask = output.time == nil ? nil : value.mask
      var states = Self.states(of: forward, direction: .forward)
        .merging(Self.states(of: backward, direction: .backward)) { first, _ in first }
      let batch = value.batch
      // The directions may differ in size (a Keras `backward_layer` with its own units).
      let forwardHidden = bi.forward.hiddenSize
      let backwardHidden = bi.backward.hiddenSize
      for (port, f, b) in [
        (LayerPort.hiddenStates, forward.finalHidden, backward.finalHidden),
        (.cellStates, forward.finalCell, backward.finalCell),
      ] where !f.isEmpty && !b.isEmpty {
        var data: [Float] = []
        data.reserveCapacity(batch * (forwardHidden + backwardHidden))
        for sample in 0..<batch {
          data.append(contentsOf: f[(sample * forwardHidden)..<((sample + 1) * forwardHidden)])
          data.append(contentsOf: b[(sample * backwardHidden)..<((sample + 1) * backwardHidden)])
        }
        states[port] = Tensor(shape: [batch, forwardHidden + backwardHidden], data: data)
      }
      return LayerResult(
        output: output, states: states,
        observations: [forward.observedRanges, backward.observedRanges].compactMap { $0 })
    case .dense(let dense), .timeDistributedDense(let dense):
      return LayerResult(output: Self.dense(dense, on: value))
    case .embedding(let embedding):
      return LayerResult(output: try Self.embedding(embedding, on: value, layer: layer.name))
    case .masking(let masking):
      return LayerResult(output: Self.masking(masking, on: value))
    case .lastTimeStep:
      // Step time - 1 of every sample, whatever the mask says; a vector carries no mask.
      let features = value.features
      let time = value.steps
      var data: [Float] = []
      data.reserveCapacity(value.batch * features)
      for sample in 0..<value.batch {
        let start = (sample * time + time - 1) * features
        data.append(contentsOf: value.data[start..<(start + features)])
      }
      return LayerResult(output: LayerValue(data: data, batch: value.batch, time: nil, features: features))
    case .activation(let activation):
      var output = value
      activation.apply(to: &output.data, width: output.features)
      return LayerResult(output: output)
    }
  }

  /// The final `h` and (for a cell that has one) `c` of one direction as model-output tensors.
  static func states(of result: RecurrentResult, direction: Direction) -> [LayerPort: Tensor] {
    let shape = [result.output.batch, result.output.features]
    var states: [LayerPort: Tensor] = [.hiddenState(direction): Tensor(shape: shape, data: result.finalHidden)]
    if !result.finalCell.isEmpty { states[.cellState(direction)] = Tensor(shape: shape, data: result.finalCell) }
    return states
  }

  /// Combines the two halves of a Bidirectional layer per step (or per sample).
  static func merge(_ a: LayerValue, _ b: LayerValue, mode: MergeMode) -> LayerValue {
    let rows = a.batch * a.steps
    switch mode {
    case .concat:
      var data = [Float]()
      data.reserveCapacity(rows * (a.features + b.features))
      for row in 0..<rows {
        data.append(contentsOf: a.data[(row * a.features)..<((row + 1) * a.features)])
        data.append(contentsOf: b.data[(row * b.features)..<((row + 1) * b.features)])
      }
      return LayerValue(data: data, batch: a.batch, time: a.time, features: a.features + b.features)
    case .sum:
      return LayerValue(data: zip(a.data, b.data).map { $0 + $1 }, batch: a.batch, time: a.time, features: a.features)
    case .mul:
      return LayerValue(data: zip(a.data, b.data).map { $0 * $1 }, batch: a.batch, time: a.time, features: a.features)
    case .ave:
      return LayerValue(
        data: zip(a.data, b.data).map { ($0 + $1) / 2 }, batch: a.batch, time: a.time, features: a.features)
    }
  }

  /// `activation(kernel · x + bias)` on the last axis of every row; the mask passes through.
  static func dense(_ dense: DenseLayer, on value: LayerValue) -> LayerValue {
    let units = dense.units
    let inputSize = dense.inputSize
    let rows = value.batch * value.steps
    var data = [Float](repeating: 0, count: rows * units)
    let bias = dense.bias?.data ?? []
    dense.kernel.data.withUnsafeBufferPointer { kernel in
      bias.withUnsafeBufferPointer { bias in
        value.data.withUnsafeBufferPointer { x in
          data.withUnsafeMutableBufferPointer { y in
            for row in 0..<rows {
              VectorMath.affine(
                matrix: kernel.baseAddress!, rows: units, columns: inputSize,
                vector: x.baseAddress! + row * inputSize, bias: bias.isEmpty ? nil : bias.baseAddress,
                into: y.baseAddress! + row * units)
            }
          }
        }
      }
    }
    dense.activation.apply(to: &data, width: units)
    return LayerValue(data: data, batch: value.batch, time: value.time, features: units, mask: value.mask)
  }

  /// Looks up each index's row; with `maskZero`, steps whose index is 0 are masked.
  static func embedding(_ embedding: EmbeddingLayer, on value: LayerValue, layer: String) throws -> LayerValue {
    let dimension = embedding.dimension
    let vocabulary = embedding.vocabularySize
    let time = value.steps
    var data = [Float]()
    data.reserveCapacity(value.data.count * dimension)
    var mask = embedding.maskZero ? [Bool](repeating: true, count: value.data.count) : nil
    for (position, index) in value.data.enumerated() {
      let sample = position / time
      let step = position % time
      guard index.isFinite, index.rounded(.towardZero) == index else {
        throw InterpreterError.embeddingIndexNotInteger(layer: layer, sample: sample, step: step, value: index)
      }
      guard index >= 0, index < Float(vocabulary) else {
        throw InterpreterError.embeddingIndexOutOfRange(
          layer: layer, sample: sample, step: step, index: Int(index), vocabularySize: vocabulary)
      }
      let row = Int(index)
      data.append(contentsOf: embedding.table.data[(row * dimension)..<((row + 1) * dimension)])
      if row == 0 { mask?[position] = false }
    }
    return LayerValue(data: data, batch: value.batch, time: value.time, features: dimension, mask: mask)
  }

  /// Masks steps whose features all equal `maskValue` and zeroes them; replaces any incoming mask.
  static func masking(_ masking: MaskingLayer, on value: LayerValue) -> LayerValue {
    let features = value.features
    let rows = value.batch * value.steps
    var data = value.data
    var mask = [Bool](repeating: true, count: rows)
    for row in 0..<rows {
      let range = (row * features)..<((row + 1) * features)
      if value.data[range].allSatisfy({ $0 == masking.maskValue }) {
        mask[row] = false
        for k in range { data[k] = 0 }
      }
    }
    return LayerValue(data: data, batch: value.batch, time: value.time, features: features, mask: mask)
  }
}
