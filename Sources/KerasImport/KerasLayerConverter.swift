import CanonicalModel

/// Turns one Keras layer (config plus weights) into a canonical layer.
///
/// Knows Keras's layer semantics: weight layouts, defaults, which settings are
/// inference no-ops and which change the computation.
struct KerasLayerConverter {
  /// The Keras version semantics (hard sigmoid parameters).
  let dialect: KerasDialect
  /// Where the weights are.
  let store: KerasWeightStore

  /// Layers that do nothing at inference time; they get no canonical layer.
  static let inferenceNoOps: Set<String> = [
    "Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
    "ActivityRegularization",
  ]

  private static let recurrentRoles = ["kernel", "recurrent_kernel", "bias"]
  private static let denseRoles = ["kernel", "bias"]
  private static let embeddingRoles = ["embeddings"]

  /// The canonical layer for `layer`, or `nil` for an inference no-op.
  ///
  /// - Parameter inputFeatures: the feature count of the value the layer receives
  ///   (`nil` for integer indices); used to check kernel shapes.
  func convert(_ layer: KerasLayerConfig, inputFeatures: Int?) throws -> LayerKind? {
    if Self.inferenceNoOps.contains(layer.className) { return nil }
    switch layer.className {
    case "LSTM", "GRU":
      switch try recurrent(layer, config: layer, part: .layer, inputFeatures: inputFeatures) {
      case .lstm(let lstm): return .lstm(lstm)
      case .gru(let gru): return .gru(gru)
      }
    case "Bidirectional":
      return .bidirectional(try bidirectional(layer, inputFeatures: inputFeatures))
    case "Dense":
      return .dense(try dense(layer, config: layer, part: .layer, inputFeatures: inputFeatures))
    case "TimeDistributed":
      let inner = try wrapped(layer)
      if Self.inferenceNoOps.contains(inner.className) { return nil }
      guard inner.className == "Dense" else {
        throw KerasImportError.unsupportedLayer(layer: layer.name, className: "TimeDistributed(\(inner.className))")
      }
      return .timeDistributedDense(try dense(layer, config: inner, part: .wrapped, inputFeatures: inputFeatures))
    case "Embedding":
      return .embedding(try embedding(layer))
    case "Masking":
      return .masking(MaskingLayer(maskValue: Float(try layer.number("mask_value", default: 0))))
    case "Activation":
      let activation = try KerasActivationTable.activation(
        layer.value("activation"), option: "activation", of: layer, dialect: dialect)
      return .activation(activation)
    default:
      throw KerasImportError.unsupportedLayer(layer: layer.name, className: layer.className)
    }
  }

  /// The features a canonical layer produces per step.
  static func outputFeatures(of kind: LayerKind, inputFeatures: Int?) -> Int? {
    switch kind {
    case .lstm(let lstm): return lstm.hiddenSize
    case .gru(let gru): return gru.hiddenSize
    case .bidirectional(let bi): return bi.outputSize
    case .dense(let dense), .timeDistributedDense(let dense): return dense.units
    case .embedding(let embedding): return embedding.dimension
    case .masking, .activation, .lastTimeStep: return inputFeatures
    }
  }

  // MARK: LSTM, GRU

  /// One LSTM or GRU direction. `owner` is the layer as the model lists it (the
  /// Bidirectional wrapper for its halves), used for weights and messages;
  /// `config` holds the recurrent layer's own settings.
  ///
  /// Settings that do nothing at inference (`dropout`, `recurrent_dropout`, `unroll`,
  /// `implementation`, `use_cudnn`, initializers, regularizers, constraints, ...) are
  /// accepted and ignored; `time_major` is refused.
  private func recurrent(
    _ owner: KerasLayerConfig, config: KerasLayerConfig, part: KerasWeightPart, inputFeatures: Int?,
    zeroOutputForMask forced: Bool? = nil
  ) throws -> RecurrentLayer {
    let className = part == .layer ? owner.className : "\(owner.className)(\(config.className))"
    guard let cell = KerasRecurrentCell(className: config.className) else {
      throw KerasImportError.unsupportedLayer(layer: owner.name, className: className)
    }
    func unsupported(_ option: String, _ reason: String) -> KerasImportError {
      .unsupportedOption(layer: owner.name, className: className, option: option, reason: reason)
    }
    if try config.bool("time_major", default: false) {
      throw unsupported("time_major", "is true; lstmc supports batch-major input [batch, time, features] only")
    }
    let units = try config.positiveInt("units")
    let usesBias = try config.bool("use_bias", default: true)
    let goBackwards = try config.bool("go_backwards", default: false)
    let activation = try KerasActivationTable.activation(
      config.config["activation"] ?? .string("tanh"), option: "activation", of: owner, dialect: dialect)
    let gate = try KerasActivationTable.activation(
      config.config["recurrent_activation"] ?? .string("sigmoid"), option: "recurrent_activation", of: owner,
      dialect: dialect)
    let direction: Direction = goBackwards ? .backward : .forward
    let outputOrder: SequenceOrder = part == .backward ? .input : .processing
    let returnSequences = try config.bool("return_sequences", default: false)
    let stateful = try config.bool("stateful", default: false)
    let zeroOutputForMask = try forced ?? config.bool("zero_output_for_mask", default: false)

    let group = try store.weights(of: owner, part: part, roles: Self.recurrentRoles)
    let weights = KerasWeightReader(layer: owner, className: className, part: part, group: group)
    let columns = cell.gateCount * units
    let kernel = try weights.read("kernel", rows: inputFeatures, columns: columns, rowsName: "input features")
    let inputSize = kernel.shape[0]
    let recurrent = try weights.read("recurrent_kernel", rows: units, columns: columns)
    switch cell {
    case .lstm:
      let bias = usesBias ? try weights.read("bias", length: columns) : nil
      return .lstm(
        LSTMLayer(
          inputSize: inputSize, hiddenSize: units, direction: direction, outputOrder: outputOrder,
          returnSequences: returnSequences,
          weights: KerasGateLayout.split(
            kernel: kernel.data, recurrentKernel: recurrent.data, bias: bias?.data, inputSize: inputSize,
            units: units),
          activations: LSTMActivations(gate: gate, cell: activation, hidden: activation),
          usesBias: usesBias, stateful: stateful, zeroOutputForMask: zeroOutputForMask))
    case .gru:
      // Keras writes reset_after whenever it has the option; it defaults to true since
      // TF 2 / Keras 3, and a Keras 2 file without it predates the option (reset before).
      let resetAfter = try config.bool("reset_after", default: dialect.major >= 3)
      var inputBias: [Float]?
      var recurrentBias: [Float]?
      if usesBias && resetAfter {
        let bias = try weights.read("bias", rows: 2, columns: columns)
        inputBias = Array(bias.data[..<columns])
        recurrentBias = Array(bias.data[columns...])
      } else if usesBias {
        inputBias = try weights.read("bias", length: columns).data
      }
      return .gru(
        GRULayer(
          inputSize: inputSize, hiddenSize: units, direction: direction, outputOrder: outputOrder,
          returnSequences: returnSequences,
          weights: KerasGRUGateLayout.split(
            kernel: kernel.data, recurrentKernel: recurrent.data, inputBias: inputBias,
            recurrentBias: recurrentBias, inputSize: inputSize, units: units),
          activations: GRUActivations(gate: gate, candidate: activation), resetAfter: resetAfter,
          usesBias: usesBias, stateful: stateful, zeroOutputForMask: zeroOutputForMask))
    }
  }

  /// Keras's Bidirectional: the forward copy of the wrapped LSTM or GRU and a backward
  /// one (`go_backwards` set, or the saved `backward_layer`), the backward sequence
  /// flipped to input order before merging. Both Keras versions force
  /// `zero_output_for_mask = return_sequences` on both halves.
  private func bidirectional(_ layer: KerasLayerConfig, inputFeatures: Int?) throws -> BidirectionalLayer {
    let inner = try wrapped(layer)
    guard let cell = KerasRecurrentCell(className: inner.className) else {
      throw KerasImportError.unsupportedLayer(layer: layer.name, className: "Bidirectional(\(inner.className))")
    }
    let className = "Bidirectional(\(cell.className))"
    let modeName = layer.config["merge_mode"].map { $0.isNull ? "null" : ($0.string ?? $0.summary) } ?? "concat"
    guard let mergeMode = MergeMode(rawValue: modeName) else {
      throw KerasImportError.unsupportedOption(
        layer: layer.name, className: className, option: "merge_mode",
        reason: "'\(modeName)' is not supported; supported: concat, sum, mul, ave")
    }
    guard try !inner.bool("go_backwards", default: false) else {
      throw KerasImportError.unsupportedOption(
        layer: layer.name, className: className, option: "go_backwards",
        reason: "is true on the wrapped \(cell.className); lstmc supports Bidirectional over a forward layer only")
    }
    var backwardConfig = inner
    if let saved = layer.value("backward_layer") {
      backwardConfig = try KerasLayerConfig(saved, fallbackName: "backward_" + inner.name)
      guard backwardConfig.className == cell.className else {
        throw KerasImportError.unsupportedLayer(
          layer: layer.name,
          className: "Bidirectional(\(cell.className), backward_layer=\(backwardConfig.className))")
      }
    }
    if case .object(var members) = backwardConfig.config {
      members["go_backwards"] = .bool(true)
      backwardConfig.config = .object(members)
    }
    let returnSequences = try inner.bool("return_sequences", default: false)
    let forward = try recurrent(
      layer, config: inner, part: .forward, inputFeatures: inputFeatures, zeroOutputForMask: returnSequences)
    let backward = try recurrent(
      layer, config: backwardConfig, part: .backward, inputFeatures: inputFeatures,
      zeroOutputForMask: returnSequences)
    return BidirectionalLayer(forward: forward, backward: backward, mergeMode: mergeMode)
  }

  // MARK: Dense, Embedding

  /// Keras's Dense kernel is `[input, units]`; the canonical one is `[units, input]`.
  private func dense(
    _ owner: KerasLayerConfig, config: KerasLayerConfig, part: KerasWeightPart, inputFeatures: Int?
  ) throws -> DenseLayer {
    let className = part == .layer ? owner.className : "\(owner.className)(\(config.className))"
    let units = try config.positiveInt("units")
    let usesBias = try config.bool("use_bias", default: true)
    let activation = try KerasActivationTable.activation(
      config.value("activation"), option: "activation", of: owner, dialect: dialect)
    let group = try store.weights(of: owner, part: part, roles: Self.denseRoles)
    let weights = KerasWeightReader(layer: owner, className: className, part: part, group: group)
    let kernel = try weights.read("kernel", rows: inputFeatures, columns: units, rowsName: "input features")
    let inputSize = kernel.shape[0]
    let transposed = KerasGateLayout.transposedBlock(
      kernel.data, rows: inputSize, columns: units, firstColumn: 0, width: units)
    let bias = usesBias ? try weights.read("bias", length: units) : nil
    return DenseLayer(
      kernel: Tensor(shape: [units, inputSize], data: transposed),
      bias: bias.map { Tensor(shape: [units], data: $0.data) }, activation: activation)
  }

  private func embedding(_ layer: KerasLayerConfig) throws -> EmbeddingLayer {
    let vocabulary = try layer.positiveInt("input_dim")
    let dimension = try layer.positiveInt("output_dim")
    let group = try store.weights(of: layer, part: .layer, roles: Self.embeddingRoles)
    let weights = KerasWeightReader(layer: layer, className: layer.className, part: .layer, group: group)
    let table = try weights.read("embeddings", rows: vocabulary, columns: dimension)
    return EmbeddingLayer(
      table: Tensor(shape: [vocabulary, dimension], data: table.data),
      maskZero: try layer.bool("mask_zero", default: false))
  }

  /// The layer a wrapper (Bidirectional, TimeDistributed) holds in its `layer` setting.
  private func wrapped(_ layer: KerasLayerConfig) throws -> KerasLayerConfig {
    guard let inner = layer.value("layer") else {
      throw KerasImportError.invalidConfig("layer '\(layer.name)' (\(layer.className)) has no wrapped 'layer'")
    }
    return try KerasLayerConfig(inner, fallbackName: layer.name + "_inner")
  }
}
