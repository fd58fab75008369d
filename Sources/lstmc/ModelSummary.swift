import CanonicalModel

/// What `lstmc inspect` reports about a model, as text or JSON.
struct ModelSummary: Codable {
  struct Input: Codable {
    var name: String
    var dtype: String
    var shape: [Int?]
    /// What the input feeds when it is not the sequence data (`sequence_lengths`, `initial_h.0`, ...).
    var role: String? = nil
    /// The shape in the source file's layout, when it differs from `shape`.
    var fileShape: [Int?]? = nil
  }

  struct Output: Codable {
    var name: String
    var layer: String
    var port: String
    var shape: [Int?]
    /// The shape in the source file's layout, when it differs from `shape`.
    var fileShape: [Int?]? = nil
    /// Every layer whose `port` the output concatenates, in order, when there are several (`layer` is the first).
    var layers: [String]? = nil
  }

  struct Recurrent: Codable {
    /// `LSTM` or `GRU`.
    var cell: String
    var direction: String
    var inputSize: Int
    var hiddenSize: Int
    var gates: [String]
    var gateShapes: [String: [Int]]
    var activations: [String: String]
    var returnSequences: Bool
    var outputOrder: String
    var usesBias: Bool
    var stateful: Bool
    var peepholes: [String]
    var clip: Float?
    var coupledInputForget: Bool
    /// GRU only: whether the reset gate applies after the recurrent product (`resetAfter`).
    var resetAfter: Bool? = nil
    var constantInitialState: Bool? = nil
    var constantSequenceLengths: Bool? = nil
  }

  struct LayerSummary: Codable {
    var index: Int
    var name: String
    var kind: String
    var source: String
    var outputShape: [Int?]
    var parameters: Int
    var recurrent: [Recurrent]?
    var mergeMode: String?
    var activation: String?
    var units: Int?
    var vocabulary: Int?
    var maskZero: Bool?
    var maskValue: Float?
  }

  struct Memory: Codable {
    var weightBytes: Int
    var stateBytesPerSequence: Int
    var scratchBytesPerStep: Int
  }

  var file: String
  var source: ModelSource
  var inputs: [Input]
  var outputs: [Output]
  var layers: [LayerSummary]
  var parameters: Int
  var memory: Memory
  /// Present for a quantized model.
  var quantization: QuantizationSummary?

  init(model: Model, file: String) throws {
    let shapes = try model.validate()
    let outputShapes = try model.outputShapes()
    let batch = model.inputs[0].shape.first ?? nil
    self.file = file
    source = model.source
    inputs = model.inputs.map {
      Input(
        name: $0.name, dtype: $0.elementType.rawValue, shape: $0.shape,
        role: $0.effectiveRole == .sequence ? nil : $0.effectiveRole.identifier,
        fileShape: $0.fileAxes == nil ? nil : $0.fileShape)
    }
    outputs = zip(model.outputs, outputShapes).map { output, shape in
      Output(
        name: output.name, layer: model.layers[output.layer].name, port: output.port.identifier, shape: shape,
        fileShape: output.fileAxes == nil ? nil : FileLayout.fileShape(shape, axes: output.fileAxes),
        layers: output.concatenatedLayers?.map { model.layers[$0].name })
    }
    var state = 0
    var scratch = 0
    layers = zip(model.layers, shapes).enumerated().map { index, pair in
      let (layer, shape) = pair
      var summary = LayerSummary(
        index: index, name: layer.name, kind: layer.kind.kindName,
        source: "\(layer.origin.className) '\(layer.origin.name)'", outputShape: shape.withBatch(batch),
        parameters: layer.kind.parameterCount)
      switch layer.kind {
      case .lstm, .gru, .bidirectional:
        let directions = layer.kind.recurrentDirections
        summary.recurrent = directions.map(Self.recurrent)
        if case .bidirectional(let bi) = layer.kind { summary.mergeMode = bi.mergeMode.rawValue }
        // h (and c) per direction; scratch: one direction's gate pre-activations.
        state += directions.reduce(0) { $0 + ($1.hasCellState ? 2 : 1) * $1.hiddenSize * 4 }
        scratch = max(scratch, directions.map { $0.gateCount * $0.hiddenSize * 4 }.max() ?? 0)
      case .dense(let dense), .timeDistributedDense(let dense):
        summary.units = dense.units
        summary.activation = dense.activation.description
      case .embedding(let embedding):
        summary.vocabulary = embedding.vocabularySize
        summary.maskZero = embedding.maskZero
      case .masking(let masking):
        summary.maskValue = masking.maskValue
      case .activation(let activation):
        summary.activation = activation.description
      case .lastTimeStep:
        break
      }
      return summary
    }
    parameters = model.parameterCount
    memory = Memory(weightBytes: parameters * 4, stateBytesPerSequence: state, scratchBytesPerStep: scratch)
    quantization = model.quantization.map { QuantizationSummary($0, model: model) }
  }

  private static func recurrent(_ layer: RecurrentLayer) -> Recurrent {
    let h = layer.hiddenSize
    var summary = Recurrent(
      cell: layer.cellName, direction: layer.direction.rawValue, inputSize: layer.inputSize, hiddenSize: h,
      gates: [], gateShapes: ["W": [h, layer.inputSize], "U": [h, h], "b": [h]], activations: [:],
      returnSequences: layer.returnSequences, outputOrder: layer.outputOrder.rawValue, usesBias: layer.usesBias,
      stateful: layer.stateful, peepholes: [], clip: layer.clip, coupledInputForget: false,
      constantInitialState: layer.initialHidden != nil || layer.initialCell != nil ? true : nil,
      constantSequenceLengths: layer.sequenceLengths != nil ? true : nil)
    switch layer {
    case .lstm(let lstm):
      summary.gates = Gate.allCases.map(\.rawValue)
      summary.activations = [
        "gate": lstm.activations.gate.description, "cell": lstm.activations.cell.description,
        "hidden": lstm.activations.hidden.description,
      ]
      summary.peepholes = Gate.allCases.filter { lstm.weights.peepholes[$0] != nil }.map(\.rawValue)
      summary.coupledInputForget = lstm.coupledInputForget
    case .gru(let gru):
      summary.gates = GRUGate.allCases.map(\.rawValue)
      summary.gateShapes["bU"] = [h]
      summary.activations = [
        "gate": gru.activations.gate.description, "candidate": gru.activations.candidate.description,
      ]
      summary.resetAfter = gru.resetAfter
    }
    return summary
  }

  /// The human-readable form.
  var text: String {
    func shape(_ dims: [Int?]) -> String {
      "["
        + dims.enumerated().map { $0.element.map(String.init) ?? ($0.offset == 0 ? "batch" : "?") }
        .joined(separator: ", ") + "]"
    }
    var lines = ["\(file): \(source.format) model from \(source.framework)"]
    func fileShape(_ dims: [Int?]?) -> String {
      guard let dims else { return "" }
      return "; in the file [" + dims.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]"
    }
    for input in inputs {
      lines.append(
        "input  \(input.name): \(input.dtype) \(shape(input.shape))"
          + (input.role.map { " (\($0))" } ?? "") + fileShape(input.fileShape))
    }
    lines.append("layers:")
    for layer in layers {
      lines.append(
        "  \(layer.index)  \(layer.name)  \(layer.kind)  (from \(layer.source))  -> \(shape(layer.outputShape))  "
          + "\(layer.parameters) parameters")
      for recurrent in layer.recurrent ?? [] {
        let h = recurrent.hiddenSize
        let isGRU = recurrent.resetAfter != nil
        lines.append(
          "       \(recurrent.direction): input \(recurrent.inputSize), hidden \(h); gates "
            + recurrent.gates.joined(separator: ", ")
            + ", each W [\(h), \(recurrent.inputSize)], U [\(h), \(h)], b [\(h)]"
            + (isGRU ? "; candidate bU [\(h)]" : "")
            + (recurrent.usesBias ? "" : " (zero: no bias in source)"))
        var options =
          (isGRU
            ? [
              "gate \(recurrent.activations["gate"] ?? "?")", "candidate \(recurrent.activations["candidate"] ?? "?")",
              recurrent.resetAfter == true
                ? "reset after the recurrent product (reset_after)" : "reset before the recurrent product",
            ]
            : [
              "gate \(recurrent.activations["gate"] ?? "?")", "cell \(recurrent.activations["cell"] ?? "?")",
              "hidden \(recurrent.activations["hidden"] ?? "?")",
            ]) + [recurrent.returnSequences ? "returns sequences" : "returns last step"]
        if recurrent.direction == "backward" { options.append("output order: \(recurrent.outputOrder)") }
        if recurrent.stateful { options.append("stateful (lstmc starts from zero state)") }
        if !recurrent.peepholes.isEmpty { options.append("peepholes \(recurrent.peepholes.joined(separator: ", "))") }
        if let clip = recurrent.clip { options.append("clip \(clip)") }
        if recurrent.coupledInputForget { options.append("coupled input-forget") }
        if recurrent.constantInitialState == true { options.append("constant initial state") }
        if recurrent.constantSequenceLengths == true { options.append("constant sequence lengths") }
        lines.append("       " + options.joined(separator: "; "))
      }
      if let mergeMode = layer.mergeMode { lines.append("       merge mode \(mergeMode)") }
      if let activation = layer.activation { lines.append("       activation \(activation)") }
      if let vocabulary = layer.vocabulary {
        lines.append("       vocabulary \(vocabulary)" + (layer.maskZero == true ? "; index 0 masks the step" : ""))
      }
      if let maskValue = layer.maskValue { lines.append("       mask value \(maskValue)") }
    }
    for output in outputs {
      let source = (output.layers ?? [output.layer]).map { "\($0).\(output.port)" }.joined(separator: " + ")
      lines.append("output \(output.name): \(source) \(shape(output.shape))" + fileShape(output.fileShape))
    }
    lines.append("parameters: \(parameters)")
    lines.append(
      "memory: weights \(memory.weightBytes) bytes (float32), state \(memory.stateBytesPerSequence) bytes per sequence, "
        + "scratch \(memory.scratchBytesPerStep) bytes per step")
    lines += quantization?.lines ?? []
    return lines.joined(separator: "\n")
  }
}
