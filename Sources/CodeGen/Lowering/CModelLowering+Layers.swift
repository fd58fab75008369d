import CanonicalModel

extension CModelLowering {
  /// A layer's context: its packed weights and the helper functions it needs.
  mutating func lowerLayer(_ layer: Layer, index: Int) -> CLayerContext {
    let symbol = "\(prefix)_l\(index)"
    var context = CLayerContext(
      index: index, name: CLiteral.comment(layer.name), kind: Self.kindIdentifier(layer.kind),
      kindName: layer.kind.kindName, summary: CLiteral.comment(summary(of: layer, index: index)), directions: [])
    switch layer.kind {
    case .lstm(let lstm):
      let run =
        canStream ? nil : runContext(for: lstm, layer: index, stride: lstm.hiddenSize, offset: 0, merge: "store")
      context.directions = [direction(lstm, layer: index, run: run)]
    case .gru:
      preconditionFailure("GRUs are refused when lowering starts")
    case .bidirectional(let bi):
      let stride = bi.outputSize
      let concat = bi.mergeMode == .concat
      // Concat: each direction stores its half. Otherwise the backward direction stores and the
      // forward one, run second, merges into what it stored.
      let forwardRun = runContext(
        for: bi.forward.lstm!, layer: index, stride: stride, offset: 0, merge: concat ? "store" : bi.mergeMode.rawValue)
      let backwardRun = runContext(
        for: bi.backward.lstm!, layer: index, stride: stride, offset: concat ? bi.forward.hiddenSize : 0, merge: "store"
      )
      context.directions = [
        direction(bi.forward.lstm!, layer: index, run: forwardRun),
        direction(bi.backward.lstm!, layer: index, run: backwardRun),
      ]
    case .dense(let dense), .timeDistributedDense(let dense):
      let inputSize = dense.inputSize
      let units = dense.units
      var kernel = [Float](repeating: 0, count: inputSize * units)
      for j in 0..<units {
        for k in 0..<inputSize { kernel[k * units + j] = dense.kernel.data[j * inputSize + k] }
      }
      context.dense = CDenseContext(
        function: "\(symbol)_dense", inputSize: inputSize, units: units,
        kernel: table(
          "\(symbol)_kernel", kernel,
          "layer \(index) '\(layer.name)' kernel [\(inputSize) inputs x \(units) units]: row k holds the weights of input k"
        ),
        bias: dense.bias.map { table("\(symbol)_bias", $0.data, "layer \(index) '\(layer.name)' bias [\(units)]") },
        activation: activations.reference(to: dense.activation))
    case .embedding(let embedding):
      context.embedding = CEmbeddingContext(
        table: table(
          "\(symbol)_table", embedding.table.data,
          "layer \(index) '\(layer.name)' table [\(embedding.vocabularySize) x \(embedding.dimension)]"),
        vocabulary: embedding.vocabularySize, dimension: embedding.dimension, maskZero: embedding.maskZero)
    case .masking(let masking):
      context.masking = CMaskingContext(
        function: "\(symbol)_mask", features: features(of: index), maskValue: CLiteral.float(masking.maskValue))
    case .activation(let activation):
      if activation != .linear {
        context.activation = CActivationLayerContext(
          function: "\(symbol)_activation", size: features(of: index),
          activation: activations.reference(to: activation))
      }
    case .lastTimeStep:
      break  // no parameters; the operations copy the last step
    }
    return context
  }

  /// One recurrent direction: the fused kernel, bias, peepholes and activations.
  private mutating func direction(_ lstm: LSTMLayer, layer index: Int, run: CRunContext?) -> CLSTMDirectionContext {
    let fields = Self.fieldPrefix(layer: index, direction: lstm.direction)
    let symbol = "\(prefix)_\(fields)"
    let inputSize = lstm.inputSize
    let hidden = lstm.hiddenSize
    let gates = 4 * hidden
    let order: [Gate] = [.input, .forget, .cell, .output]
    var kernel = [Float](repeating: 0, count: (inputSize + hidden) * gates)
    var bias = [Float](repeating: 0, count: gates)
    for (g, gate) in order.enumerated() {
      let weights = lstm.weights[gate]
      for j in 0..<hidden {
        let column = g * hidden + j
        for k in 0..<inputSize { kernel[k * gates + column] = weights.W.data[j * inputSize + k] }
        for k in 0..<hidden { kernel[(inputSize + k) * gates + column] = weights.U.data[j * hidden + k] }
        bias[column] = weights.b.data[j]
      }
    }
    let name = "layer \(index) \(lstm.direction.rawValue)"
    let hasBias = lstm.usesBias || bias.contains { $0 != 0 }
    var peepholes: [Gate: CTableReference] = [:]
    for gate in [Gate.input, .forget, .output] {
      if let values = lstm.weights.peepholes[gate] {
        peepholes[gate] = table(
          "\(symbol)_peephole_\(gate.rawValue)", values.data, "\(name) \(gate.rawValue) gate peephole [\(hidden)]")
      }
    }
    let kernelTable = table(
      "\(symbol)_kernel", kernel,
      "\(name) fused kernel [(\(inputSize) inputs + \(hidden) hidden) x 4*\(hidden)]: row k holds the "
        + "weights of input k (then of h[k - \(inputSize)]) into gates i, f, c, o")
    let biasTable = hasBias ? table("\(symbol)_bias", bias, "\(name) bias [4*\(hidden)], gates i, f, c, o") : nil
    for (which, constant) in [("h", lstm.initialHidden), ("c", lstm.initialCell)] {
      guard let constant else { continue }
      _ = table(
        "\(symbol)_initial_\(which)", constant.data,
        "\(name) constant initial \(which) [\(constant.shape[0]) samples x \(hidden)]: name_reset loads a sample's row")
    }
    if let lengths = lstm.sequenceLengths {
      let values = lengths.data.map { Int32($0) }
      let table = CWeightTableContext(
        elementType: "int32_t", symbol: "\(symbol)_lengths", length: values.count,
        lines: formatsValues ? CLiteral.lines(values) : [],
        summary: CLiteral.comment(
          "\(name) constant sequence lengths [\(values.count) samples]: steps at or past a sample's length are masked"))
      tables.append(table)
    }
    return CLSTMDirectionContext(
      symbol: symbol, direction: lstm.direction.rawValue, inputSize: inputSize, hiddenSize: hidden, gateSize: gates,
      forgetOffset: hidden, cellOffset: 2 * hidden, outputOffset: 3 * hidden,
      kernel: kernelTable, bias: biasTable, peepholeInput: peepholes[.input], peepholeForget: peepholes[.forget],
      peepholeOutput: peepholes[.output],
      clip: lstm.clip.map(CLiteral.float), coupledInputForget: lstm.coupledInputForget,
      gate: activations.recurrentReference(to: lstm.activations.gate, size: hidden, isGate: true),
      cell: activations.recurrentReference(to: lstm.activations.cell, size: hidden),
      hidden: activations.recurrentReference(to: lstm.activations.hidden, size: hidden),
      returnSequences: lstm.returnSequences,
      zeroOutputForMask: lstm.zeroOutputForMask, hiddenField: "\(fields)_h", cellField: "\(fields)_c",
      flagField: "\(fields)_has_output", run: run)
  }

  private func runContext(for lstm: LSTMLayer, layer layerIndex: Int, stride: Int, offset: Int, merge: String)
    -> CRunContext?
  {
    guard !canStream else { return nil }
    let backward = lstm.direction == .backward
    let fields = Self.fieldPrefix(layer: layerIndex, direction: lstm.direction)
    return CRunContext(
      isBackward: backward, writesSequence: lstm.returnSequences,
      slot: backward && lstm.outputOrder == .processing ? "k" : "t", stride: stride, offset: offset, merge: merge,
      lengths: lstm.sequenceLengths.map { _ in "\(prefix)_\(fields)_lengths" },
      lengthsPerSample: (lstm.sequenceLengths?.shape.first ?? 1) > 1)
  }

  /// Defines a weight table (kept in ``tables``) and returns the layers' reference to it.
  mutating func table(_ symbol: String, _ values: [Float], _ summary: String) -> CTableReference {
    let table = CWeightTableContext(
      elementType: "float", symbol: symbol, length: values.count,
      lines: formatsValues ? CLiteral.lines(values) : [], summary: CLiteral.comment(summary))
    tables.append(table)
    return table.reference
  }

  static func kindIdentifier(_ kind: LayerKind) -> String {
    switch kind {
    case .lstm: return "lstm"
    case .gru: return "gru"
    case .bidirectional: return "bidirectional"
    case .dense: return "dense"
    case .timeDistributedDense: return "timeDistributedDense"
    case .embedding: return "embedding"
    case .masking: return "masking"
    case .activation: return "activation"
    case .lastTimeStep: return "lastTimeStep"
    }
  }

  /// One line describing a layer for comments.
  func summary(of layer: Layer, index: Int) -> String {
    let shape = shapes[index].description
    let what: String
    switch layer.kind {
    case .lstm(let lstm):
      what =
        "LSTM \(lstm.direction.rawValue), input \(lstm.inputSize), hidden \(lstm.hiddenSize), "
        + (lstm.returnSequences ? "returns sequences" : "returns the last step")
        + (lstm.direction == .backward && lstm.returnSequences ? " (\(lstm.outputOrder.rawValue) order)" : "")
        + "; gate \(lstm.activations.gate.description), cell \(lstm.activations.cell.description), "
        + "hidden \(lstm.activations.hidden.description)"
    case .gru:
      preconditionFailure("GRUs are refused when lowering starts")
    case .bidirectional(let bi):
      what =
        "Bidirectional LSTM, merge \(bi.mergeMode.rawValue), input \(bi.forward.inputSize), hidden "
        + "\(bi.forward.hiddenSize) + \(bi.backward.hiddenSize), "
        + (bi.forward.returnSequences ? "returns sequences" : "returns the last step")
    case .dense(let dense), .timeDistributedDense(let dense):
      what = "\(layer.kind.kindName) \(dense.inputSize) -> \(dense.units), \(dense.activation.description)"
    case .embedding(let embedding):
      what =
        "Embedding \(embedding.vocabularySize) x \(embedding.dimension)"
        + (embedding.maskZero ? ", index 0 masks" : "")
    case .masking(let masking):
      what = "Masking, value \(masking.maskValue)"
    case .activation(let activation):
      what = "Activation \(activation.description)"
    case .lastTimeStep: what = "LastTimeStep"
    }
    return "\(what) -> \(shape)"
  }
}
