/// A Keras model's layers reduced to one chain: the model input, the layers in
/// the order they run (input layer and Keras 3 mask bookkeeping removed), and
/// the model outputs as references into the chain.
///
/// Built from a `Sequential` or a `Functional` config; any other topology
/// (branches, merges, shared layers, several inputs) is rejected, naming the
/// first layer that breaks the chain.
struct KerasChain: Sendable {
  /// The model input as its InputLayer describes it.
  struct Input: Equatable, Sendable {
    /// The InputLayer's name.
    var name: String
    /// The batch-first shape; `nil` where Keras has `None`.
    var shape: [Int?]
    /// The declared dtype (`float32`, `int32`, ...), if any.
    var dtype: String?
  }

  /// The Keras 3 ops a Functional config records for mask propagation
  /// (`Masking` computes `any(x != v, axis=-1)`, `Embedding(mask_zero)` computes `x != 0`).
  static let maskOps: Set<String> = ["NotEqual", "Any"]

  /// The model input.
  var input: Input
  /// The layers in the order they run.
  var layers: [KerasLayerConfig]
  /// The model outputs, in Keras's order.
  var outputs: [KerasTensorRef]
  /// The model's layers as `model.layers` lists them (the order Keras 3's
  /// `.keras` weights file is written in).
  var savedLayers: [KerasLayerConfig]
  /// Whether the model is a Sequential one.
  var isSequential: Bool

  /// Reduces a model config (`{"class_name": ..., "config": ...}`) to a chain.
  init(modelConfig: JSONValue) throws {
    guard let className = modelConfig["class_name"]?.string else {
      throw KerasImportError.invalidConfig("the model config has no 'class_name'")
    }
    let config = modelConfig["config"] ?? .null
    switch className {
    case "Sequential":
      try self.init(sequential: config)
    case "Functional", "Model":
      try self.init(functional: config)
    default:
      throw KerasImportError.invalidConfig(
        "the model is a '\(className)'; lstmc imports Sequential and Functional models "
          + "(subclassed models cannot be imported: save a Functional equivalent)")
    }
  }

  // MARK: Sequential

  private init(sequential config: JSONValue) throws {
    // Keras 2.2 and older wrote a Sequential config as the bare list of layers.
    guard let entries = config["layers"]?.array ?? config.array else {
      throw KerasImportError.invalidConfig("the Sequential config has no 'layers' list")
    }
    var layers = try entries.enumerated().map { try KerasLayerConfig($0.element, fallbackName: "layer_\($0.offset)") }
    guard let first = layers.first else { throw KerasImportError.invalidConfig("the Sequential model has no layers") }
    if first.className == "InputLayer" {
      input = try Self.input(of: first)
      layers.removeFirst()
    } else {
      let shape = first.value("batch_input_shape") ?? first.value("batch_shape") ?? config["build_input_shape"]
      guard let shape, let parsed = Self.shape(shape) else {
        throw KerasImportError.invalidConfig(
          "the Sequential model has no InputLayer and its first layer '\(first.name)' declares no input shape")
      }
      input = Input(name: first.name + "_input", shape: parsed, dtype: first.value("dtype")?.string)
    }
    guard let last = layers.last else { throw KerasImportError.invalidConfig("the Sequential model has no layers") }
    for layer in layers.dropLast() {
      if layer.className == "InputLayer" {
        throw KerasImportError.unsupportedTopology(
          layer: layer.name, className: layer.className, reason: "is a second input inside a Sequential model")
      }
      if Self.stateCount(of: layer) > 0 {
        throw KerasImportError.unsupportedTopology(
          layer: layer.name, className: layer.className,
          reason: "returns its states (return_state) in the middle of a Sequential model")
      }
    }
    outputs = (0...Self.stateCount(of: last)).map { KerasTensorRef(layer: last.name, node: 0, index: $0) }
    self.layers = layers
    savedLayers = layers
    isSequential = true
  }

  // MARK: Functional

  private init(functional config: JSONValue) throws {
    guard let entries = config["layers"]?.array else {
      throw KerasImportError.invalidConfig("the Functional config has no 'layers' list")
    }
    let all = try entries.map { try KerasLayerConfig($0) }
    var byName: [String: KerasLayerConfig] = [:]
    for layer in all {
      guard byName.updateValue(layer, forKey: layer.name) == nil else {
        throw KerasImportError.invalidConfig("two layers are named '\(layer.name)'")
      }
    }
    let inputs = try Self.tensorList(config["input_layers"], key: "input_layers")
    guard let inputRef = inputs.first else { throw KerasImportError.invalidConfig("the model has no inputs") }
    if inputs.count > 1 {
      let second = byName[inputs[1].layer]
      throw KerasImportError.unsupportedTopology(
        layer: inputs[1].layer, className: second?.className ?? "InputLayer",
        reason: "is a second model input (the model has \(inputs.count))")
    }
    guard let inputLayer = byName[inputRef.layer], inputLayer.className == "InputLayer" else {
      throw KerasImportError.invalidConfig("the model input '\(inputRef.layer)' is not an InputLayer")
    }
    input = try Self.input(of: inputLayer)

    var chain: [KerasLayerConfig] = []
    var previous = inputLayer.name
    var consumer: [String: String] = [:]  // layer → the chain layer that consumes its output
    for layer in all where layer.name != inputLayer.name && !Self.maskOps.contains(layer.className) {
      try Self.checkLink(layer, previous: previous, consumer: consumer)
      consumer[previous] = layer.name
      if let mask = layer.nodes[0].mask {
        try Self.checkMask(mask, of: layer, chain: chain, byName: byName)
      }
      chain.append(layer)
      previous = layer.name
    }
    layers = chain

    let outputRefs = try Self.tensorList(config["output_layers"], key: "output_layers")
    guard !outputRefs.isEmpty else { throw KerasImportError.invalidConfig("the model has no outputs") }
    let chainNames = Set(chain.map(\.name))
    for output in outputRefs {
      guard chainNames.contains(output.layer) else {
        let layer = byName[output.layer]
        throw KerasImportError.unsupportedTopology(
          layer: output.layer, className: layer?.className ?? "?",
          reason: layer == nil
            ? "is a model output but is not in the model" : "is a model output but is not a layer of the chain")
      }
      let layer = byName[output.layer]
      guard output.node == 0, output.index <= Self.stateCount(of: layer) else {
        throw KerasImportError.unsupportedTopology(
          layer: output.layer, className: layer?.className ?? "?",
          reason: "has no output #\(output.index) of call #\(output.node) for the model to return")
      }
    }
    outputs = outputRefs
    savedLayers = all.filter { !Self.maskOps.contains($0.className) }
    isSequential = false
  }

  /// Checks that `layer` is called once, on the main output of `previous` alone.
  private static func checkLink(_ layer: KerasLayerConfig, previous: String, consumer: [String: String]) throws {
    func broken(_ reason: String) -> KerasImportError {
      .unsupportedTopology(layer: layer.name, className: layer.className, reason: reason)
    }
    if layer.className == "InputLayer" { throw broken("is a second model input") }
    guard layer.nodes.count == 1 else {
      throw broken(
        layer.nodes.isEmpty
          ? "is not connected to the model" : "is called \(layer.nodes.count) times (a shared layer)")
    }
    let node = layer.nodes[0]
    guard node.inputs.count == 1 else { throw broken("takes \(node.inputs.count) inputs") }
    guard node.tensorKeywords.isEmpty else {
      throw broken("is called with tensor argument(s) \(node.tensorKeywords.joined(separator: ", "))")
    }
    let source = node.inputs[0]
    guard source.layer == previous else {
      if let other = consumer[source.layer] {
        throw broken("branches off: it consumes the output of '\(source.layer)', which already feeds '\(other)'")
      }
      throw broken("consumes the output of '\(source.layer)' rather than of the layer before it, '\(previous)'")
    }
    guard source.node == 0, source.index == 0 else {
      throw broken("consumes output #\(source.index) of '\(previous)' (a returned state) rather than its main output")
    }
  }

  /// Checks that a Keras 3 `mask=` argument is the mask an earlier Masking or
  /// Embedding(mask_zero) layer of the chain computes, which lstmc propagates itself.
  private static func checkMask(
    _ mask: KerasTensorRef, of layer: KerasLayerConfig, chain: [KerasLayerConfig], byName: [String: KerasLayerConfig]
  ) throws {
    let unsupported = KerasImportError.unsupportedTopology(
      layer: layer.name, className: layer.className,
      reason: "receives a mask that no Masking or Embedding(mask_zero=True) layer before it produces")
    func op(_ ref: KerasTensorRef, _ className: String) -> KerasNode? {
      guard ref.node == 0, ref.index == 0, let op = byName[ref.layer], op.className == className,
        op.nodes.count == 1
      else { return nil }
      return op.nodes[0]
    }
    func comparison(_ node: KerasNode) -> (KerasTensorRef, Double)? {
      guard node.inputs.count == 1, node.constants.count == 1, let value = node.constants[0].number else {
        return nil
      }
      return (node.inputs[0], value)
    }
    let producers: [(KerasTensorRef, Double)]
    if let any = op(mask, "Any"), any.inputs.count == 1, let notEqual = op(any.inputs[0], "NotEqual"),
      let (source, value) = comparison(notEqual), byName[mask.layer]?.config["axis"]?.int == -1,
      byName[mask.layer]?.config["keepdims"]?.bool != true
    {
      producers = chain.filter { $0.className == "Masking" }.compactMap { masking in
        let maskValue = masking.config["mask_value"]?.number ?? 0
        return masking.nodes.first?.inputs.first.map { ($0, maskValue) }
      }.filter { $0.0 == source && $0.1 == value }
    } else if let notEqual = op(mask, "NotEqual"), let (source, value) = comparison(notEqual), value == 0 {
      producers = chain.filter { $0.className == "Embedding" && $0.config["mask_zero"]?.bool == true }
        .compactMap { embedding in embedding.nodes.first?.inputs.first.map { ($0, 0.0) } }
        .filter { $0.0 == source }
    } else {
      throw unsupported
    }
    guard !producers.isEmpty else { throw unsupported }
  }

  // MARK: Helpers

  /// How many states a layer returns after its main output (`return_state`).
  static func stateCount(of layer: KerasLayerConfig?) -> Int {
    layer.map(KerasRecurrentCell.stateCount) ?? 0
  }

  private static func input(of layer: KerasLayerConfig) throws -> Input {
    let shape: [Int?]?
    if let batchShape = layer.value("batch_input_shape") ?? layer.value("batch_shape") {
      shape = Self.shape(batchShape)
    } else if let perSample = layer.value("shape"), let parsed = Self.shape(perSample) {
      shape = [layer.value("batch_size")?.int] + parsed
    } else {
      shape = nil
    }
    guard let shape else {
      throw KerasImportError.invalidConfig("input '\(layer.name)' (InputLayer) has no readable shape")
    }
    var dtype = layer.value("dtype")?.string
    if dtype == nil, let policy = layer.value("dtype")?["config"]?["name"]?.string { dtype = policy }
    return Input(name: layer.name, shape: shape, dtype: dtype)
  }

  private static func shape(_ value: JSONValue) -> [Int?]? {
    guard let items = value.array else { return nil }
    var shape: [Int?] = []
    for item in items {
      if item.isNull {
        shape.append(nil)
      } else if let int = item.int, int >= 0 {
        shape.append(int)
      } else {
        return nil
      }
    }
    return shape
  }

  /// `input_layers` / `output_layers`: a list of `[name, node, index]`, or Keras 3's
  /// flat `[name, node, index]` for a single tensor.
  private static func tensorList(_ value: JSONValue?, key: String) throws -> [KerasTensorRef] {
    guard let items = value?.array else { throw KerasImportError.invalidConfig("the model config has no '\(key)'") }
    if items.first?.string != nil {
      guard let ref = KerasTensorRef(history: .array(items)) else {
        throw KerasImportError.invalidConfig("unreadable '\(key)'")
      }
      return [ref]
    }
    return try items.map {
      guard let ref = KerasTensorRef(history: $0) else { throw KerasImportError.invalidConfig("unreadable '\(key)'") }
      return ref
    }
  }
}
