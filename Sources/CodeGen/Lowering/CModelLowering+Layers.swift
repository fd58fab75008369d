import CanonicalModel

extension CModelLowering {
  /// A layer's context: its packed weights and the helper functions it needs.
  mutating func lowerLayer(_ layer: Layer, index: Int) -> CLayerContext {
    let symbol = "\(prefix)_l\(index)"
    var context = CLayerContext(
      index: index, name: CLiteral.comment(layer.name), kind: Self.kindIdentifier(layer.kind),
      kindName: layer.kind.kindName, summary: CLiteral.comment(summary(of: layer, index: index)), directions: [])
    switch layer.kind {
    case .lstm, .gru:
      let recurrent = layer.kind.singleRecurrent!
      let run = runContext(for: recurrent, layer: index, stride: recurrent.hiddenSize, offset: 0, merge: "store")
      context.directions = [direction(recurrent, layer: index, run: run)]
    case .bidirectional(let bi):
      let stride = bi.outputSize
      let concat = bi.mergeMode == .concat
      // Concat: each direction stores its half. Otherwise the backward direction stores and the
      // forward one, run second, merges into what it stored.
      let forwardRun = runContext(
        for: bi.forward, layer: index, stride: stride, offset: 0, merge: concat ? "store" : bi.mergeMode.rawValue)
      let backwardRun = runContext(
        for: bi.backward, layer: index, stride: stride, offset: concat ? bi.forward.hiddenSize : 0, merge: "store")
      context.directions = [
        direction(bi.forward, layer: index, run: forwardRun),
        direction(bi.backward, layer: index, run: backwardRun),
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

  /// One recurrent direction: what every cell shares (state fields, constant initial state and
  /// lengths, clip, how it runs) and its kind's gate products and cell update.
  private mutating func direction(_ recurrent: RecurrentLayer, layer index: Int, run: CRunContext?)
    -> CRecurrentDirectionContext
  {
    let fields = Self.fieldPrefix(layer: index, direction: recurrent.direction)
    let symbol = "\(prefix)_\(fields)"
    let hidden = recurrent.hiddenSize
    let name = "layer \(index) \(recurrent.direction.rawValue)"
    let products: CGateProductsContext
    var lstmCell: CLSTMCellContext?
    var gruCell: CGRUCellContext?
    switch recurrent {
    case .lstm(let lstm):
      let lowered = lowerCell(lstm, symbol: symbol, name: name)
      products = lowered.products
      lstmCell = lowered.cell
    case .gru(let gru):
      let lowered = lowerCell(gru, symbol: symbol, name: name)
      products = lowered.products
      gruCell = lowered.cell
    }
    for (which, constant) in [("h", recurrent.initialHidden), ("c", recurrent.initialCell)] {
      guard let constant else { continue }
      _ = table(
        "\(symbol)_initial_\(which)", constant.data,
        "\(name) constant initial \(which) [\(constant.shape[0]) samples x \(hidden)]: name_reset loads a sample's row")
    }
    if let lengths = recurrent.sequenceLengths {
      let values = lengths.data.map { Int32($0) }
      let table = CWeightTableContext(
        elementType: "int32_t", symbol: "\(symbol)_lengths", length: values.count,
        lines: formatsValues ? CLiteral.lines(values) : [],
        summary: CLiteral.comment(
          "\(name) constant sequence lengths [\(values.count) samples]: steps at or past a sample's length are masked"))
      tables.append(table)
    }
    return CRecurrentDirectionContext(
      symbol: symbol, direction: recurrent.direction.rawValue, cellName: recurrent.cellName,
      inputSize: recurrent.inputSize, hiddenSize: hidden, gateSize: 4 * hidden, products: products,
      clip: recurrent.clip.map(CLiteral.float), lstm: lstmCell, gru: gruCell,
      returnSequences: recurrent.returnSequences,
      zeroOutputForMask: recurrent.zeroOutputForMask, hiddenField: "\(fields)_h",
      cellField: recurrent.hasCellState ? "\(fields)_c" : nil, flagField: "\(fields)_has_output", run: run)
  }

  /// An LSTM direction's fused kernel `[(I + H) x 4H]` (gates i, f, c, o), bias, peepholes and activations.
  private mutating func lowerCell(_ lstm: LSTMLayer, symbol: String, name: String)
    -> (products: CGateProductsContext, cell: CLSTMCellContext)
  {
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
    let hasBias = lstm.usesBias || bias.contains { $0 != 0 }
    var peepholes: [Gate: CTableReference] = [:]
    for gate in [Gate.input, .forget, .output] {
      if let values = lstm.weights.peepholes[gate] {
        peepholes[gate] = table(
          "\(symbol)_peephole_\(gate.rawValue)", values.data, "\(name) \(gate.rawValue) gate peephole [\(hidden)]")
      }
    }
    var kernelTable: CTableReference
    var rowCalls: [CRowCallContext] = []
    if let block = options.rowBlock {
      let segments = [
        RowSegment(
          output: 0, rows: gates,
          parts: [
            .init(kernelRows: 0..<inputSize, column: 0, source: "x"),
            .init(kernelRows: inputSize..<inputSize + hidden, column: 0, source: "h"),
          ], biasOffset: hasBias ? 0 : nil)
      ]
      let packed = Self.rowBlocks(fused: kernel, rowLength: gates, segments: segments, block: block)
      rowCalls = packed.calls
      kernelTable = table(
        "\(symbol)_kernel", packed.weights,
        rowBlockSummary(
          "\(name) [4*\(hidden) gate rows i, f, c, o x (\(inputSize) + \(hidden))]", block: block,
          segments: segments))
    } else {
      kernelTable = table(
        "\(symbol)_kernel", kernel,
        "\(name) fused kernel [(\(inputSize) inputs + \(hidden) hidden) x 4*\(hidden)]: row k holds the "
          + "weights of input k (then of h[k - \(inputSize)]) into gates i, f, c, o")
    }
    let biasTable = hasBias ? table("\(symbol)_bias", bias, "\(name) bias [4*\(hidden)], gates i, f, c, o") : nil
    let products = CGateProductsContext(
      kernel: kernelTable, rowLength: gates, bias: biasTable, biasLength: gates, hiddenWidth: gates, hiddenOffset: 0,
      rowCalls: rowCalls)
    let cell = CLSTMCellContext(
      forgetOffset: hidden, cellOffset: 2 * hidden, outputOffset: 3 * hidden,
      peepholeInput: peepholes[.input], peepholeForget: peepholes[.forget], peepholeOutput: peepholes[.output],
      coupledInputForget: lstm.coupledInputForget,
      gate: activations.recurrentReference(to: lstm.activations.gate, size: hidden, isGate: true),
      cell: activations.recurrentReference(to: lstm.activations.cell, size: hidden),
      hidden: activations.recurrentReference(to: lstm.activations.hidden, size: hidden))
    return (products, cell)
  }

  /// A GRU direction's fused kernel `[(I + H) x 3H]` (input rows: gates n, z, r; hidden rows: z, r,
  /// n), bias and activations, laid out as ``CGRUCellContext`` describes.
  private mutating func lowerCell(_ gru: GRULayer, symbol: String, name: String)
    -> (products: CGateProductsContext, cell: CGRUCellContext)
  {
    let inputSize = gru.inputSize
    let hidden = gru.hiddenSize
    let row = 3 * hidden
    let inputOrder: [GRUGate] = [.candidate, .update, .reset]
    let hiddenOrder: [GRUGate] = [.update, .reset, .candidate]
    var kernel = [Float](repeating: 0, count: (inputSize + hidden) * row)
    for (g, gate) in inputOrder.enumerated() {
      let W = gru.weights[gate].W.data
      for j in 0..<hidden {
        for k in 0..<inputSize { kernel[k * row + g * hidden + j] = W[j * inputSize + k] }
      }
    }
    for (g, gate) in hiddenOrder.enumerated() {
      let U = gru.weights[gate].U.data
      for j in 0..<hidden {
        for k in 0..<hidden { kernel[(inputSize + k) * row + g * hidden + j] = U[j * hidden + k] }
      }
    }
    let recurrentBias = gru.weights.candidateRecurrentBias.data
    var candidateBias = gru.weights.candidate.b.data
    if !gru.resetAfter {
      // n = φ(W_n x + b_n + U_n (r ⊙ h) + bU): bU adds like b_n.
      for j in 0..<hidden { candidateBias[j] += recurrentBias[j] }
    }
    var bias = candidateBias + gru.weights.update.b.data + gru.weights.reset.b.data
    if gru.resetAfter { bias += recurrentBias }
    let hasBias = gru.usesBias || bias.contains { $0 != 0 }
    var kernelTable: CTableReference
    var rowCalls: [CRowCallContext] = []
    var candidateCall: CRowCallContext?
    if let block = options.rowBlock {
      let inputRows = 0..<inputSize
      let hiddenRows = inputSize..<inputSize + hidden
      var segments = [
        RowSegment(
          output: 0, rows: hidden, parts: [.init(kernelRows: inputRows, column: 0, source: "x")],
          biasOffset: hasBias ? 0 : nil),
        RowSegment(
          output: hidden, rows: 2 * hidden,
          parts: [
            .init(kernelRows: inputRows, column: hidden, source: "x"),
            .init(kernelRows: hiddenRows, column: 0, source: "h"),
          ], biasOffset: hasBias ? hidden : nil),
      ]
      if gru.resetAfter {
        segments.append(
          RowSegment(
            output: 3 * hidden, rows: hidden, parts: [.init(kernelRows: hiddenRows, column: 2 * hidden, source: "h")],
            biasOffset: hasBias ? 3 * hidden : nil))
      } else {
        segments.append(
          RowSegment(
            output: 0, rows: hidden,
            parts: [.init(kernelRows: hiddenRows, column: 2 * hidden, source: "z + \(3 * hidden)")], biasOffset: nil,
            accumulates: true))
      }
      let packed = Self.rowBlocks(fused: kernel, rowLength: row, segments: segments, block: block)
      rowCalls = packed.calls
      if !gru.resetAfter { candidateCall = rowCalls.removeLast() }
      kernelTable = table(
        "\(symbol)_kernel", packed.weights,
        rowBlockSummary(
          "\(name) [gate rows n, z, r (then U_n) x (\(inputSize) + \(hidden))]", block: block, segments: segments))
    } else {
      kernelTable = table(
        "\(symbol)_kernel", kernel,
        "\(name) fused kernel [(\(inputSize) inputs + \(hidden) hidden) x 3*\(hidden)]: row k holds the "
          + "weights of input k into gates n, z, r, then of h[k - \(inputSize)] into gates z, r, n")
    }
    let biasTable =
      hasBias
      ? table(
        "\(symbol)_bias", bias,
        gru.resetAfter
          ? "\(name) bias [4*\(hidden)]: b_n, b_z, b_r and the candidate's recurrent bias bU"
          : "\(name) bias [3*\(hidden)]: b_n + bU, b_z, b_r") : nil
    let products = CGateProductsContext(
      kernel: kernelTable, rowLength: row, bias: biasTable, biasLength: bias.count,
      hiddenWidth: gru.resetAfter ? row : 2 * hidden, hiddenOffset: hidden, rowCalls: rowCalls)
    let cell = CGRUCellContext(
      resetAfter: gru.resetAfter, updateOffset: hidden, resetOffset: 2 * hidden, extraOffset: 3 * hidden,
      gatesLength: 2 * hidden, candidateColumn: 2 * hidden, candidateCall: candidateCall,
      gate: activations.recurrentReference(to: gru.activations.gate, size: 2 * hidden, isGate: true),
      candidate: activations.recurrentReference(to: gru.activations.candidate, size: hidden))
    return (products, cell)
  }

  private func runContext(
    for recurrent: RecurrentLayer, layer layerIndex: Int, stride: Int, offset: Int, merge: String
  ) -> CRunContext? {
    guard !canStream else { return nil }
    let backward = recurrent.direction == .backward
    let fields = Self.fieldPrefix(layer: layerIndex, direction: recurrent.direction)
    return CRunContext(
      isBackward: backward, writesSequence: recurrent.returnSequences,
      slot: backward && recurrent.outputOrder == .processing ? "k" : "t", stride: stride, offset: offset,
      merge: merge,
      lengths: recurrent.sequenceLengths.map { _ in "\(prefix)_\(fields)_lengths" },
      lengthsPerSample: (recurrent.sequenceLengths?.shape.first ?? 1) > 1)
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
    case .gru(let gru):
      what =
        "GRU \(gru.direction.rawValue), input \(gru.inputSize), hidden \(gru.hiddenSize), "
        + (gru.returnSequences ? "returns sequences" : "returns the last step")
        + (gru.direction == .backward && gru.returnSequences ? " (\(gru.outputOrder.rawValue) order)" : "")
        + "; reset \(gru.resetAfter ? "after" : "before") the recurrent product; gate "
        + "\(gru.activations.gate.description), candidate \(gru.activations.candidate.description)"
    case .bidirectional(let bi):
      what =
        "Bidirectional \(bi.cellName), merge \(bi.mergeMode.rawValue), input \(bi.forward.inputSize), hidden "
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
