/// The canonical, gate-separated model: an ordered chain of layers between
/// named inputs and outputs.
///
/// The first input feeds layer 0; every layer's main output feeds the next.
/// Outputs name a layer and one of its results (its output, or a recurrent
/// layer's final `h` or `c`). Nothing in a `Model` knows a framework's gate order.
public struct Model: Equatable, Sendable {
  /// The model's inputs; the chain starts from the first.
  public var inputs: [ModelInput]
  /// The layers, in the order they run.
  public var layers: [Layer]
  /// The model's outputs, in the source framework's order.
  public var outputs: [ModelOutput]
  /// Where the model came from.
  public var source: ModelSource
  /// The integer form written by `lstmc quantize`, or `nil` for a float model.
  public var quantization: QuantizedModel? = nil

  /// Creates a model; call ``validate()`` to check it.
  public init(inputs: [ModelInput], layers: [Layer], outputs: [ModelOutput], source: ModelSource) {
    self.inputs = inputs
    self.layers = layers
    self.outputs = outputs
    self.source = source
  }

  /// The total number of parameters.
  public var parameterCount: Int { layers.reduce(0) { $0 + $1.kind.parameterCount } }

  /// Checks every layer against the value it receives and every tensor against
  /// its layer, and returns the shape of each layer's main output.
  @discardableResult
  public func validate() throws -> [ValueShape] {
    guard let input = inputs.first else { throw ModelValidationError.invalidModel("the model has no inputs") }
    guard !layers.isEmpty else { throw ModelValidationError.invalidModel("the model has no layers") }
    var names = Set<String>()
    for layer in layers where !names.insert(layer.name).inserted {
      throw ModelValidationError.invalidModel("two layers are named '\(layer.name)'")
    }
    var current = try Self.shape(of: input)
    var shapes: [ValueShape] = []
    for layer in layers {
      current = try ShapeChecker.output(of: layer, given: current)
      shapes.append(current)
    }
    guard !outputs.isEmpty else { throw ModelValidationError.invalidModel("the model has no outputs") }
    for output in outputs {
      _ = try outputShape(output, layerShapes: shapes)
    }
    try validateExtraInputs()
    return shapes
  }

  /// The shape of each model output, batch first (`nil` where the batch or time
  /// extent is known only at run time).
  public func outputShapes() throws -> [[Int?]] {
    let shapes = try validate()
    return try outputs.map { try outputShape($0, layerShapes: shapes).withBatch(inputs[0].shape.first ?? nil) }
  }

  /// ``outputShapes()`` as the source file lays the outputs out.
  public func fileOutputShapes() throws -> [[Int?]] {
    try zip(outputShapes(), outputs).map { FileLayout.fileShape($0, axes: $1.fileAxes) }
  }

  private func outputShape(_ output: ModelOutput, layerShapes: [ValueShape]) throws -> ValueShape {
    guard layerShapes.indices.contains(output.layer) else {
      throw ModelValidationError.invalidOutput(
        output: output.name, reason: "refers to layer \(output.layer), but the model has \(layers.count)")
    }
    if let list = output.concatenatedLayers {
      return try concatenatedShape(output, layers: list)
    }
    switch output.port {
    case .output:
      return layerShapes[output.layer]
    case .hiddenState(let direction), .cellState(let direction):
      let layer = layers[output.layer]
      let isCell: Bool
      if case .cellState = output.port { isCell = true } else { isCell = false }
      guard let recurrent = layer.kind.recurrentDirections.first(where: { $0.direction == direction }),
        !isCell || recurrent.hasCellState
      else {
        throw ModelValidationError.invalidOutput(
          output: output.name,
          reason:
            "asks for the \(output.port.identifier) state of layer '\(layer.name)' (\(layer.kind.kindName)), which has none"
        )
      }
      return .vector(features: recurrent.hiddenSize)
    case .hiddenStates, .cellStates:
      guard let size = Self.stateSize(of: layers[output.layer]),
        output.port == .hiddenStates || Self.hasCellState(layers[output.layer])
      else {
        throw ModelValidationError.invalidOutput(
          output: output.name,
          reason:
            "asks for the \(output.port.identifier) states of layer '\(layers[output.layer].name)', which has none")
      }
      return .vector(features: size)
    }
  }

  /// The `[batch, S]` shape of an output concatenating one state port of several layers.
  private func concatenatedShape(_ output: ModelOutput, layers list: [Int]) throws -> ValueShape {
    func fail(_ reason: String) -> ModelValidationError { .invalidOutput(output: output.name, reason: reason) }
    guard output.port == .hiddenStates || output.port == .cellStates else {
      throw fail("concatenates port \(output.port.identifier) of several layers; only h.all and c.all can be")
    }
    guard list.count >= 2, list.first == output.layer, zip(list, list.dropFirst()).allSatisfy({ $0 < $1 }) else {
      throw fail(
        "concatenates layers \(list), expected at least two strictly increasing indices starting at \(output.layer)")
    }
    var total = 0
    for index in list {
      guard layers.indices.contains(index) else {
        throw fail("refers to layer \(index), but the model has \(layers.count)")
      }
      guard let size = Self.stateSize(of: layers[index]),
        output.port == .hiddenStates || Self.hasCellState(layers[index])
      else {
        throw fail(
          "asks for the \(output.port.identifier) states of layer '\(layers[index].name)' "
            + "(\(layers[index].kind.kindName)), which has none")
      }
      total += size
    }
    return .vector(features: total)
  }

  /// `directions * hidden` for a recurrent layer, `nil` for any other.
  static func stateSize(of layer: Layer) -> Int? { layer.kind.stateSize }

  /// Whether a recurrent layer has a cell state (an LSTM or a Bidirectional LSTM).
  static func hasCellState(_ layer: Layer) -> Bool {
    layer.kind.recurrentDirections.first?.hasCellState ?? false
  }

  /// Checks the inputs after the first: their roles, types and shapes, and every file layout.
  private func validateExtraInputs() throws {
    guard inputs[0].effectiveRole == .sequence else {
      throw ModelValidationError.invalidModel("the first input '\(inputs[0].name)' must be the sequence data")
    }
    var roles = Set<InputRole>()
    struct StateFeed: Hashable {
      var layer: Int
      var isCell: Bool
    }
    var stateFeeds = Set<StateFeed>()
    for input in inputs {
      if let axes = input.fileAxes, let problem = FileLayout.validate(axes, canonicalRank: input.shape.count) {
        throw ModelValidationError.invalidModel("input '\(input.name)' has an invalid file layout: \(problem)")
      }
      // Several plain (sequence) inputs were always accepted; only the chain reads the first.
      guard input.effectiveRole == .sequence || roles.insert(input.effectiveRole).inserted else {
        throw ModelValidationError.invalidModel("two inputs have role \(input.effectiveRole.identifier)")
      }
      switch input.effectiveRole {
      case .sequence: continue
      case .sequenceLengths:
        guard input.elementType == .int32, input.shape.count == 1 else {
          throw ModelValidationError.invalidModel("input '\(input.name)' (sequence lengths) must be int32 [batch]")
        }
      case .initialHiddenState, .initialCellState, .initialHiddenStates, .initialCellStates:
        let list = input.effectiveRole.stateLayers
        let several: Bool
        switch input.effectiveRole {
        case .initialHiddenStates, .initialCellStates: several = true
        default: several = false
        }
        guard !several || list.count >= 2 && zip(list, list.dropFirst()).allSatisfy({ $0 < $1 }) else {
          throw ModelValidationError.invalidModel(
            "input '\(input.name)' feeds layers \(list); expected at least two strictly increasing layer indices")
        }
        var size = 0
        for layer in list {
          guard layers.indices.contains(layer), let part = Self.stateSize(of: layers[layer]) else {
            throw ModelValidationError.invalidModel(
              "input '\(input.name)' feeds layer \(layer), which is not recurrent")
          }
          guard input.effectiveRole.isCellState != true || Self.hasCellState(layers[layer]) else {
            throw ModelValidationError.invalidModel(
              "input '\(input.name)' feeds the cell state of layer '\(layers[layer].name)' "
                + "(\(layers[layer].kind.kindName)), which has none")
          }
          // One initial h (and one c) per layer, whichever input provides it.
          guard stateFeeds.insert(StateFeed(layer: layer, isCell: input.effectiveRole.isCellState == true)).inserted
          else {
            throw ModelValidationError.invalidModel(
              "input '\(input.name)' feeds the initial state of layer '\(layers[layer].name)', "
                + "which another input already feeds")
          }
          size += part
        }
        let what = list.count == 1 ? "initial state of layer \(list[0])" : "initial states of layers \(list)"
        guard input.elementType == .float32, input.shape.count == 2, input.shape[1] == size else {
          throw ModelValidationError.invalidModel("input '\(input.name)' (\(what)) must be float32 [batch, \(size)]")
        }
      }
    }
    for output in outputs {
      if let axes = output.fileAxes {
        let rank = try outputShape(output, layerShapes: try layerShapes()).withBatch(nil).count
        if let problem = FileLayout.validate(axes, canonicalRank: rank) {
          throw ModelValidationError.invalidOutput(output: output.name, reason: "invalid file layout: \(problem)")
        }
      }
    }
  }

  private func layerShapes() throws -> [ValueShape] {
    var current = try Self.shape(of: inputs[0])
    return try layers.map { layer in
      current = try ShapeChecker.output(of: layer, given: current)
      return current
    }
  }

  private static func shape(of input: ModelInput) throws -> ValueShape {
    switch (input.elementType, input.shape.count) {
    case (.int32, 2): return .indices(time: input.shape[1])
    case (.float32, 3):
      guard let features = input.shape[2], features > 0 else {
        throw ModelValidationError.invalidModel("input '\(input.name)' has no fixed feature size")
      }
      return .sequence(time: input.shape[1], features: features)
    case (.float32, 2):
      guard let features = input.shape[1], features > 0 else {
        throw ModelValidationError.invalidModel("input '\(input.name)' has no fixed feature size")
      }
      return .vector(features: features)
    default:
      throw ModelValidationError.invalidModel(
        "input '\(input.name)' has shape \(input.shape.map { $0.map(String.init) ?? "?" }) of \(input.elementType.rawValue); "
          + "supported: float32 [batch, time, features] or int32 [batch, time]")
    }
  }
}
