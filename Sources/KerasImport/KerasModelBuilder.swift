import CanonicalModel

/// Builds the canonical model from a Keras chain: converts each layer, maps the
/// Keras outputs onto layer ports, and validates the result.
struct KerasModelBuilder {
  /// The model's layers as one chain.
  let chain: KerasChain
  /// The Keras version semantics.
  let dialect: KerasDialect
  /// Where the weights are.
  let store: KerasWeightStore
  /// The file, as given by the caller.
  let file: String

  func build() throws -> Model {
    let converter = KerasLayerConverter(dialect: dialect, store: store)
    let firstReal = chain.layers.first { !KerasLayerConverter.inferenceNoOps.contains($0.className) }
    let takesIndices = firstReal?.className == "Embedding"
    let input = try modelInput(takesIndices: takesIndices)

    var layers: [Layer] = []
    var features: Int? = takesIndices ? nil : (input.shape.last ?? nil)
    var producer: [String: Int] = [:]  // Keras layer name → index of the canonical layer holding its output
    for kerasLayer in chain.layers {
      if let kind = try converter.convert(kerasLayer, inputFeatures: features) {
        layers.append(
          Layer(
            name: kerasLayer.name, kind: kind,
            origin: LayerOrigin(name: kerasLayer.name, className: kerasLayer.className)))
        features = KerasLayerConverter.outputFeatures(of: kind, inputFeatures: features)
      }
      producer[kerasLayer.name] = layers.count - 1
    }

    let model = Model(
      inputs: [input], layers: layers, outputs: try outputs(producer: producer, layers: layers),
      source: ModelSource(format: dialect.format, framework: dialect.framework, file: file))
    do {
      try model.validate()
    } catch let error as ModelValidationError {
      throw KerasImportError.invalidModel(error)
    }
    return model
  }

  /// The model input: int32 `[batch, time]` indices when it feeds an Embedding,
  /// float32 `[batch, time, features]` otherwise.
  private func modelInput(takesIndices: Bool) throws -> ModelInput {
    let input = chain.input
    let isInteger = input.dtype.map { $0.hasPrefix("int") || $0.hasPrefix("uint") } ?? false
    if isInteger && !takesIndices {
      throw KerasImportError.unsupportedOption(
        layer: input.name, className: "InputLayer", option: "dtype",
        reason: "'\(input.dtype ?? "")' is supported only for an input that feeds an Embedding layer")
    }
    return ModelInput(name: input.name, elementType: takesIndices ? .int32 : .float32, shape: input.shape)
  }

  private func outputs(producer: [String: Int], layers: [Layer]) throws -> [ModelOutput] {
    var outputs: [ModelOutput] = []
    var used = Set<String>()
    let configs = Dictionary(chain.layers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    for ref in chain.outputs {
      let className = configs[ref.layer]?.className ?? "?"
      guard let index = producer[ref.layer], index >= 0 else {
        throw KerasImportError.unsupportedTopology(
          layer: ref.layer, className: className,
          reason: "is a model output but only inference no-ops precede it, so the model computes nothing")
      }
      let port: LayerPort
      var name = ref.layer
      if ref.index > 0 {
        let state = try statePort(ref, layer: layers[index], className: className)
        port = state.port
        name += state.suffix
      } else {
        port = .output
      }
      if used.contains(name) {
        var counter = 1
        while used.contains("\(name)_\(counter)") { counter += 1 }
        name = "\(name)_\(counter)"
      }
      used.insert(name)
      outputs.append(ModelOutput(name: name, layer: index, port: port))
    }
    return outputs
  }

  /// A returned state's port and output-name suffix. Keras returns `[output, h, c]` for an
  /// LSTM and `[output, h]` for a GRU; a Bidirectional returns the forward states, then the
  /// backward ones (`[output, h_fw, c_fw, h_bw, c_bw]`, `[output, h_fw, h_bw]`). Suffixes:
  /// `_state_h`, `_state_c`; `_fw_state_h`, `_bw_state_h`, ... for a Bidirectional.
  private func statePort(_ ref: KerasTensorRef, layer: Layer, className: String) throws -> (
    port: LayerPort, suffix: String
  ) {
    let directions = layer.kind.recurrentDirections
    let statesPerDirection = directions.first.map { $0.hasCellState ? 2 : 1 } ?? 0
    let position = ref.index - 1
    guard statesPerDirection > 0, position < directions.count * statesPerDirection else {
      throw KerasImportError.unsupportedTopology(
        layer: ref.layer, className: className, reason: "has no output #\(ref.index) for the model to return")
    }
    let direction = directions[position / statesPerDirection].direction
    let isCell = position % statesPerDirection == 1
    let port: LayerPort = isCell ? .cellState(direction) : .hiddenState(direction)
    let side = directions.count > 1 ? (direction == .forward ? "_fw" : "_bw") : ""
    return (port, side + (isCell ? "_state_c" : "_state_h"))
  }
}
