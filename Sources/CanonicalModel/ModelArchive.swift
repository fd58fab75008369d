import Foundation

/// Reads and writes canonical models as `.safetensors` files.
///
/// Tensors are named `layers.<i>.<direction>.<gate>.<W|U|b>` for recurrent
/// layers, with LSTM gates `input`, `forget`, `cell`, `output` and GRU gates `update`,
/// `reset`, `candidate` (the GRU candidate's recurrent bias is `…candidate.bU`;
/// LSTM peepholes `…<gate>.P`; a constant initial state and sequence lengths
/// `layers.<i>.<direction>.initial_h`, `….initial_c`, `….sequence_lengths`),
/// `layers.<i>.kernel` / `layers.<i>.bias` for
/// Dense and `layers.<i>.table` for Embedding (LastTimeStep has none); the architecture is JSON in the
/// `architecture` metadata entry next to `"format": "lstmc-model-1"`. A quantized
/// model adds a `quantization` entry and integer tensors (see
/// `ModelArchive+Quantization.swift`). A write followed by a read gives back an
/// identical model, bit for bit.
public enum ModelArchive {
  /// The `format` metadata value that marks an lstmc model.
  public static let formatIdentifier = "lstmc-model-1"

  /// Encodes `model` as a safetensors file.
  public static func encode(_ model: Model, producer: String = "lstmc") throws -> Data {
    var tensors: [(name: String, tensor: Tensor)] = []
    var layers: [LayerDocument] = []
    for (index, layer) in model.layers.enumerated() {
      let prefix = "layers.\(index)"
      var document = LayerDocument(name: layer.name, origin: layer.origin, type: "")
      switch layer.kind {
      case .lstm(let lstm):
        document.type = "lstm"
        document.lstm = LSTMDocument(lstm)
        tensors += lstmTensors(lstm, prefix: "\(prefix).\(lstm.direction.rawValue)")
      case .gru(let gru):
        document.type = "gru"
        document.gru = GRUDocument(gru)
        tensors += gruTensors(gru, prefix: "\(prefix).\(gru.direction.rawValue)")
      case .bidirectional(let bi):
        document.type = "bidirectional"
        document.mergeMode = bi.mergeMode
        for (direction, layer) in bi.directions {
          let directionPrefix = "\(prefix).\(direction.rawValue)"
          switch (layer, direction) {
          case (.lstm(let lstm), .forward):
            document.forward = LSTMDocument(lstm)
            tensors += lstmTensors(lstm, prefix: directionPrefix)
          case (.lstm(let lstm), .backward):
            document.backward = LSTMDocument(lstm)
            tensors += lstmTensors(lstm, prefix: directionPrefix)
          case (.gru(let gru), .forward):
            document.forwardGRU = GRUDocument(gru)
            tensors += gruTensors(gru, prefix: directionPrefix)
          case (.gru(let gru), .backward):
            document.backwardGRU = GRUDocument(gru)
            tensors += gruTensors(gru, prefix: directionPrefix)
          }
        }
      case .dense(let dense), .timeDistributedDense(let dense):
        if case .dense = layer.kind { document.type = "dense" } else { document.type = "time_distributed_dense" }
        document.activation = dense.activation
        document.hasBias = dense.bias != nil
        tensors.append(("\(prefix).kernel", dense.kernel))
        if let bias = dense.bias { tensors.append(("\(prefix).bias", bias)) }
      case .embedding(let embedding):
        document.type = "embedding"
        document.maskZero = embedding.maskZero
        tensors.append(("\(prefix).table", embedding.table))
      case .masking(let masking):
        document.type = "masking"
        document.maskValue = masking.maskValue
      case .activation(let activation):
        document.type = "activation"
        document.activation = activation
      case .lastTimeStep:
        document.type = "last_time_step"
      }
      layers.append(document)
    }
    let architecture = ArchitectureDocument(
      inputs: model.inputs, layers: layers,
      outputs: model.outputs.map {
        OutputDocument(
          name: $0.name, layer: $0.layer, port: $0.port.identifier, fileAxes: $0.fileAxes,
          layers: $0.concatenatedLayers)
      },
      source: model.source)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = String(decoding: try encoder.encode(architecture), as: UTF8.self)
    var metadata = ["format": formatIdentifier, "architecture": json, "producer": producer]
    var integerTensors: [(name: String, tensor: IntegerTensor)] = []
    if let quantized = model.quantization {
      let entries = try quantizationEntries(quantized)
      metadata[quantizationKey] = entries.json
      tensors += entries.floats
      integerTensors = entries.integers
    }
    let file = SafetensorsFile(metadata: metadata, tensors: tensors, integerTensors: integerTensors)
    return try file.encoded()
  }

  /// Decodes a model from safetensors bytes and validates it.
  public static func decode(_ data: Data) throws -> Model {
    let file = try SafetensorsFile(data: data)
    guard let format = file.metadata["format"] else {
      throw SafetensorsError.notAnLSTMCModel("its metadata has no \"format\" entry")
    }
    guard format == formatIdentifier else {
      throw SafetensorsError.notAnLSTMCModel("its metadata says format \"\(format)\"")
    }
    guard let json = file.metadata["architecture"] else {
      throw SafetensorsError.invalidArchitecture("the metadata has no \"architecture\" entry")
    }
    let architecture: ArchitectureDocument
    do {
      architecture = try JSONDecoder().decode(ArchitectureDocument.self, from: Data(json.utf8))
    } catch {
      throw SafetensorsError.invalidArchitecture("cannot decode it (\(error))")
    }
    func tensor(_ name: String) throws -> Tensor {
      guard let tensor = file.tensor(named: name) else { throw SafetensorsError.missingTensor(name) }
      return tensor
    }
    func lstm(_ document: LSTMDocument?, prefix: String, layer: String) throws -> LSTMLayer {
      guard let document else {
        throw SafetensorsError.invalidArchitecture("layer '\(layer)' lacks its LSTM description")
      }
      func gate(_ gate: Gate) throws -> GateWeights {
        let base = "\(prefix).\(gate.rawValue)"
        return GateWeights(W: try tensor("\(base).W"), U: try tensor("\(base).U"), b: try tensor("\(base).b"))
      }
      var peepholes: [Gate: Tensor] = [:]
      for peephole in document.peepholes { peepholes[peephole] = try tensor("\(prefix).\(peephole.rawValue).P") }
      let weights = LSTMWeights(
        input: try gate(.input), forget: try gate(.forget), cell: try gate(.cell), output: try gate(.output),
        peepholes: peepholes)
      var layer = document.layer(weights: weights)
      if document.hasInitialHidden == true { layer.initialHidden = try tensor("\(prefix).initial_h") }
      if document.hasInitialCell == true { layer.initialCell = try tensor("\(prefix).initial_c") }
      if document.hasSequenceLengths == true { layer.sequenceLengths = try tensor("\(prefix).sequence_lengths") }
      return layer
    }
    func gru(_ document: GRUDocument, prefix: String) throws -> GRULayer {
      func gate(_ gate: GRUGate) throws -> GateWeights {
        let base = "\(prefix).\(gate.rawValue)"
        return GateWeights(W: try tensor("\(base).W"), U: try tensor("\(base).U"), b: try tensor("\(base).b"))
      }
      let weights = GRUWeights(
        update: try gate(.update), reset: try gate(.reset), candidate: try gate(.candidate),
        candidateRecurrentBias: try tensor("\(prefix).candidate.bU"))
      var layer = document.layer(weights: weights)
      if document.hasInitialHidden == true { layer.initialHidden = try tensor("\(prefix).initial_h") }
      if document.hasSequenceLengths == true { layer.sequenceLengths = try tensor("\(prefix).sequence_lengths") }
      return layer
    }
    var layers: [Layer] = []
    for (index, document) in architecture.layers.enumerated() {
      let prefix = "layers.\(index)"
      func missing(_ what: String) -> SafetensorsError {
        .invalidArchitecture("layer '\(document.name)' (\(document.type)) lacks \(what)")
      }
      let kind: LayerKind
      switch document.type {
      case "lstm":
        let direction = document.lstm?.direction.rawValue ?? "forward"
        kind = .lstm(try lstm(document.lstm, prefix: "\(prefix).\(direction)", layer: document.name))
      case "gru":
        guard let document = document.gru else { throw missing("its GRU description") }
        kind = .gru(try gru(document, prefix: "\(prefix).\(document.direction.rawValue)"))
      case "bidirectional":
        guard let mergeMode = document.mergeMode else { throw missing("mergeMode") }
        if let forward = document.forwardGRU {
          guard let backward = document.backwardGRU else { throw missing("its backward GRU description") }
          kind = .bidirectional(
            BidirectionalLayer(
              forward: try gru(forward, prefix: "\(prefix).forward"),
              backward: try gru(backward, prefix: "\(prefix).backward"), mergeMode: mergeMode))
        } else {
          kind = .bidirectional(
            BidirectionalLayer(
              forward: try lstm(document.forward, prefix: "\(prefix).forward", layer: document.name),
              backward: try lstm(document.backward, prefix: "\(prefix).backward", layer: document.name),
              mergeMode: mergeMode))
        }
      case "dense", "time_distributed_dense":
        guard let activation = document.activation else { throw missing("activation") }
        let bias = document.hasBias == true ? try tensor("\(prefix).bias") : nil
        let dense = DenseLayer(kernel: try tensor("\(prefix).kernel"), bias: bias, activation: activation)
        kind = document.type == "dense" ? .dense(dense) : .timeDistributedDense(dense)
      case "embedding":
        kind = .embedding(EmbeddingLayer(table: try tensor("\(prefix).table"), maskZero: document.maskZero ?? false))
      case "masking":
        guard let maskValue = document.maskValue else { throw missing("maskValue") }
        kind = .masking(MaskingLayer(maskValue: maskValue))
      case "activation":
        guard let activation = document.activation else { throw missing("activation") }
        kind = .activation(activation)
      case "last_time_step":
        kind = .lastTimeStep
      default:
        throw SafetensorsError.invalidArchitecture(
          "layer '\(document.name)' has unknown type '\(document.type)'; "
            + "supported: lstm, gru, bidirectional, dense, time_distributed_dense, embedding, masking, activation, "
            + "last_time_step")
      }
      layers.append(Layer(name: document.name, kind: kind, origin: document.origin))
    }
    let outputs = try architecture.outputs.map { output -> ModelOutput in
      guard let port = LayerPort(identifier: output.port) else {
        throw SafetensorsError.invalidArchitecture("output '\(output.name)' has unknown port '\(output.port)'")
      }
      return ModelOutput(
        name: output.name, layer: output.layer, port: port, fileAxes: output.fileAxes,
        concatenatedLayers: output.layers)
    }
    var model = Model(inputs: architecture.inputs, layers: layers, outputs: outputs, source: architecture.source)
    try model.validate()
    if let json = file.metadata[quantizationKey] {
      model.quantization = try decodeQuantization(json, file: file, model: model)
    }
    return model
  }

  /// Reads and validates the model stored at `url`.
  public static func read(from url: URL) throws -> Model {
    try decode(try Data(contentsOf: url))
  }

  /// Writes `model` to `url` atomically: a temporary file in the same folder,
  /// renamed into place, so a failure never leaves a partial file.
  public static func write(_ model: Model, to url: URL, producer: String = "lstmc") throws {
    try encode(model, producer: producer).write(to: url, options: .atomic)
  }

  private static func gruTensors(_ gru: GRULayer, prefix: String) -> [(name: String, tensor: Tensor)] {
    var tensors: [(name: String, tensor: Tensor)] = []
    if let initial = gru.initialHidden { tensors.append(("\(prefix).initial_h", initial)) }
    if let lengths = gru.sequenceLengths { tensors.append(("\(prefix).sequence_lengths", lengths)) }
    for gate in GRUGate.allCases {
      let base = "\(prefix).\(gate.rawValue)"
      tensors.append(("\(base).W", gru.weights[gate].W))
      tensors.append(("\(base).U", gru.weights[gate].U))
      tensors.append(("\(base).b", gru.weights[gate].b))
    }
    tensors.append(("\(prefix).candidate.bU", gru.weights.candidateRecurrentBias))
    return tensors
  }

  private static func lstmTensors(_ lstm: LSTMLayer, prefix: String) -> [(name: String, tensor: Tensor)] {
    let weights = lstm.weights
    var tensors: [(name: String, tensor: Tensor)] = []
    if let initial = lstm.initialHidden { tensors.append(("\(prefix).initial_h", initial)) }
    if let initial = lstm.initialCell { tensors.append(("\(prefix).initial_c", initial)) }
    if let lengths = lstm.sequenceLengths { tensors.append(("\(prefix).sequence_lengths", lengths)) }
    for gate in Gate.allCases {
      let base = "\(prefix).\(gate.rawValue)"
      tensors.append(("\(base).W", weights[gate].W))
      tensors.append(("\(base).U", weights[gate].U))
      tensors.append(("\(base).b", weights[gate].b))
      if let peephole = weights.peepholes[gate] { tensors.append(("\(base).P", peephole)) }
    }
    return tensors
  }
}
