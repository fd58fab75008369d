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

  /// Output-name suffixes for returned states, by Keras output index.
  private static let stateSuffixes: [String: [String]] = [
    "LSTM": ["", "_state_h", "_state_c"],
    "Bidirectional": ["", "_fw_state_h", "_fw_state_c", "_bw_state_h", "_bw_state_c"],
  ]

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
    let classes = Dictionary(chain.layers.map { ($0.name, $0.className) }, uniquingKeysWith: { first, _ in first })
    for ref in chain.outputs {
      let className = classes[ref.layer] ?? "?"
      guard let index = producer[ref.layer], index >= 0 else {
        throw KerasImportError.unsupportedTopology(
          layer: ref.layer, className: className,
          reason: "is a model output but only inference no-ops precede it, so the model computes nothing")
      }
      let port: LayerPort
      if ref.index == 0 {
        port = .output
      } else {
        port = try statePort(ref, layer: layers[index], className: className)
      }
      let suffixes = Self.stateSuffixes[className] ?? []
      var name = ref.layer + (ref.index < suffixes.count ? suffixes[ref.index] : "")
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

  /// Keras returns `[output, h, c]` for an LSTM and `[output, h_fw, c_fw, h_bw, c_bw]` for a Bidirectional.
  private func statePort(_ ref: KerasTensorRef, layer: Layer, className: String) throws -> LayerPort {
    switch (layer.kind, ref.index) {
    case (.lstm(let lstm), 1): return .hiddenState(lstm.direction)
    case (.lstm(let lstm), 2): return .cellState(lstm.direction)
    case (.bidirectional, 1): return .hiddenState(.forward)
    case (.bidirectional, 2): return .cellState(.forward)
    case (.bidirectional, 3): return .hiddenState(.backward)
    case (.bidirectional, 4): return .cellState(.backward)
    default:
      throw KerasImportError.unsupportedTopology(
        layer: ref.layer, className: className, reason: "has no output #\(ref.index) for the model to return")
    }
  }
}
