import CanonicalModel

/// Maps one ONNX recurrent node (`LSTM` or `GRU`) onto a canonical LSTM, GRU or Bidirectional
/// layer, its extra model inputs and its outputs.
///
/// What the two operators share is read here: X, W and R's shapes, layout, direction,
/// `sequence_lens`, `initial_h`, the activation list with its alphas and betas, clip, and the
/// mapping of Y and Y_h. The cell's own parts (B's split, peepholes, `input_forget`,
/// `linear_before_reset`, `initial_c`, Y_c) are in the `+LSTM` and `+GRU` extensions.
struct ONNXRecurrentConverter {
  let node: ONNXNode
  /// The node's cell: LSTM or GRU.
  let cell: ONNXRecurrentCell
  let constants: [String: ONNXTensor]
  let aliases: [String: String]
  let graphInputs: [ONNXValueInfo]
  /// `direction` as a count: 1 or 2.
  let directions: Int
  let reverse: Bool
  let hidden: Int
  let inputSize: Int
  /// `layout` 1: batch-first X, Y, Y_h, Y_c, initial states.
  let batchFirst: Bool
  /// The X graph input.
  let sequenceInput: ModelInput
  /// Values known to be all zeros (built from the input's shape), read as absent.
  let zeros: Set<String>
  /// State inputs the caller maps itself (slices of a state graph input), read as absent here.
  let external: Set<String>
  /// The index the layer will have in the model.
  let layerIndex: Int
  /// Model inputs for `sequence_lens`, `initial_h` and `initial_c` given as graph inputs.
  private(set) var extraInputs: [ModelInput] = []

  var name: String { node.displayName }

  init(
    node: ONNXNode, opset: Int64, constants: [String: ONNXTensor], aliases: [String: String],
    graphInputs: [ONNXValueInfo], zeros: Set<String> = [], external: Set<String> = [], chained: Bool = false,
    layerIndex: Int = 0
  ) throws {
    self.zeros = zeros
    self.external = external
    self.layerIndex = layerIndex
    self.node = node
    self.constants = constants
    self.aliases = aliases
    self.graphInputs = graphInputs
    let name = node.displayName
    guard let cell = ONNXRecurrentCell(opType: node.opType) else {
      throw ONNXImportError.unsupportedOp(opType: node.opType, node: name, supported: ONNXRecurrentCell.opTypes)
    }
    self.cell = cell
    guard node.inputs.count <= cell.inputCount, node.outputs.count <= cell.outputCount else {
      throw ONNXImportError.invalidNode(
        node: name,
        reason: "a \(cell.opType) node has at most \(cell.inputCount) inputs and \(cell.outputCount) outputs; "
          + "this one has \(node.inputs.count) and \(node.outputs.count)")
    }
    let direction = node.attributes["direction"]?.string ?? "forward"
    switch direction {
    case "forward": (directions, reverse) = (1, false)
    case "reverse": (directions, reverse) = (1, true)
    case "bidirectional": (directions, reverse) = (2, false)
    default:
      throw ONNXImportError.unsupportedAttribute(
        node: name, attribute: "direction", value: "'\(direction)'", supported: "forward, reverse, bidirectional")
    }
    let layout = node.attributes["layout"]?.int ?? 0
    guard layout == 0 || layout == 1 else {
      throw ONNXImportError.unsupportedAttribute(node: name, attribute: "layout", value: "\(layout)", supported: "0, 1")
    }
    batchFirst = layout == 1
    let inputs = ONNXNodeInputs(node)
    let gates = cell.gateCount
    if let value = inputs.optional(1), constants[aliases[value] ?? value] == nil,
      let error = Self.unboundGraphInput(value, "W", node: node, cell: cell, aliases: aliases, graphInputs: graphInputs)
    {
      throw error
    }
    guard let w = inputs.optional(1).flatMap({ constants[aliases[$0] ?? $0] }), w.dims.count == 3 else {
      throw ONNXImportError.unsupportedGraph(
        "\(cell.opType) node '\(name)': W must be a constant [directions, \(gates)*hidden, input]")
    }
    try Self.checkFloat(w, "W", node: name, opType: cell.opType)
    guard w.dims[0] == directions, w.dims[1] % gates == 0, w.dims[1] > 0, w.dims[2] > 0 else {
      throw ONNXImportError.invalidNode(node: name, reason: "W has shape \(w.dims) for \(direction) direction")
    }
    hidden = w.dims[1] / gates
    inputSize = w.dims[2]
    if let declared = node.attributes["hidden_size"]?.int, declared != hidden {
      throw ONNXImportError.invalidNode(node: name, reason: "hidden_size is \(declared) but W has shape \(w.dims)")
    }
    if chained {
      sequenceInput = ModelInput(name: "", elementType: .float32, shape: [nil, nil, inputSize])
      return
    }
    guard let x = inputs.optional(0), let xInfo = graphInputs.first(where: { $0.name == (aliases[x] ?? x) }) else {
      throw ONNXImportError.unsupportedGraph("\(cell.opType) node '\(name)': X must be a graph input")
    }
    let dims = xInfo.shape?.map(\.fixed) ?? [nil, nil, inputSize]
    guard dims.count == 3 else {
      throw ONNXImportError.invalidNode(node: name, reason: "X '\(xInfo.name)' has rank \(dims.count), expected 3")
    }
    let (time, batch) = batchFirst ? (dims[1], dims[0]) : (dims[0], dims[1])
    sequenceInput = ModelInput(
      name: xInfo.name, elementType: .float32, shape: [batch, time, inputSize], role: nil,
      fileAxes: batchFirst ? nil : [.canonical(1), .canonical(0), .canonical(2)])
  }

  func input(_ index: Int) -> String? {
    ONNXNodeInputs(node).optional(index)
  }

  /// Refuses a weight tensor that is not floating point (integer W, R, B or P have no float values to split).
  static func checkFloat(_ tensor: ONNXTensor, _ what: String, node: String, opType: String) throws {
    guard tensor.dataType.isFloatingPoint else {
      throw ONNXImportError.invalidNode(
        node: node,
        reason: "\(what) '\(tensor.name)' has element type \(tensor.dataType.name); \(opType) weights must be float, "
          + "float16, bfloat16 or double")
    }
  }

  func constant(_ index: Int) -> ONNXTensor? {
    input(index).flatMap { constants[aliases[$0] ?? $0] }
  }

  /// The file layout of a `[directions, batch, hidden]` state (`[batch, directions, hidden]` in layout 1)
  /// over the canonical `[batch, directions * hidden]`.
  private var stateAxes: [AxisSource] {
    batchFirst
      ? [.canonical(0), .outer(axis: 1, count: directions), .inner(axis: 1, count: directions)]
      : [.outer(axis: 1, count: directions), .canonical(0), .inner(axis: 1, count: directions)]
  }

  /// Builds the layer and records the extra model inputs.
  mutating func layer() throws -> LayerKind {
    let gates = cell.gateCount
    guard let w = constant(1) else { throw ONNXImportError.missingValue(node: name, input: input(1) ?? "W") }
    if input(2) != nil && constant(2) == nil { throw nonConstant("R", index: 2) }
    guard let r = constant(2), r.dims == [directions, gates * hidden, hidden] else {
      throw ONNXImportError.unsupportedGraph(
        "\(cell.opType) node '\(name)': R must be a constant [\(directions), \(gates * hidden), \(hidden)]")
    }
    let b = constant(3)
    if let b, b.dims != [directions, 2 * gates * hidden] {
      throw ONNXImportError.invalidNode(
        node: name, reason: "B has shape \(b.dims), expected [\(directions), \(2 * gates * hidden)]")
    }
    if input(3) != nil && b == nil { throw nonConstant("B", index: 3) }
    try Self.checkFloat(r, "R", node: name, opType: cell.opType)
    if let b { try Self.checkFloat(b, "B", node: name, opType: cell.opType) }

    // Activations: 3 (LSTM) or 2 (GRU) per direction.
    let perDirection = cell.defaultActivations.count
    let names: [String]
    if case .strings(let list)? = node.attributes["activations"] {
      names = list
    } else {
      names = Array(repeating: cell.defaultActivations, count: directions).flatMap { $0 }
    }
    guard names.count == perDirection * directions else {
      throw ONNXImportError.invalidNode(
        node: name, reason: "activations lists \(names.count) functions, expected \(perDirection * directions)")
    }
    func floats(_ key: String) -> [Float] {
      if case .floats(let values)? = node.attributes[key] { return values }
      return []
    }
    let activations = try ONNXActivationTable.activations(
      names, alphas: floats("activation_alpha"), betas: floats("activation_beta"), node: name)
    let clip = node.attributes["clip"]?.float
    if let clip, !(clip > 0) {
      throw ONNXImportError.unsupportedAttribute(node: name, attribute: "clip", value: "\(clip)", supported: "> 0")
    }
    let parameters = ONNXRecurrentParameters(
      w: w, r: r, b: b, clip: clip,
      activations: (0..<directions).map { Array(activations[(perDirection * $0)..<(perDirection * ($0 + 1))]) })

    // Optional state and length inputs: constants become layer properties, graph inputs model inputs.
    let lengths = try optionalInput(4, role: .sequenceLengths)
    let initialH = try optionalInput(5, role: .initialHiddenState(layer: layerIndex))
    let initialC = cell.hasCellState ? try optionalInput(6, role: .initialCellState(layer: layerIndex)) : nil

    var layers: [RecurrentLayer]
    switch cell {
    case .lstm: layers = try lstmDirections(parameters)
    case .gru: layers = try gruDirections(parameters)
    }
    for d in layers.indices {
      layers[d].initialHidden = initialH.flatMap { stateSlice($0, direction: d) }
      layers[d].initialCell = initialC.flatMap { stateSlice($0, direction: d) }
      layers[d].sequenceLengths = lengths.map {
        Tensor(shape: [$0.dims.first ?? 0], data: $0.integers.map { Float($0) })
      }
    }
    if directions == 2 {
      return .bidirectional(BidirectionalLayer(forward: layers[0], backward: layers[1], mergeMode: .concat))
    }
    return Self.layerKind(layers[0])
  }

  /// A single recurrent direction as a layer kind (`.lstm` or `.gru`).
  static func layerKind(_ direction: RecurrentLayer) -> LayerKind {
    switch direction {
    case .lstm(let lstm): return .lstm(lstm)
    case .gru(let gru): return .gru(gru)
    }
  }

  /// The direction layer `d` walks time in: backward for `reverse` and for the second of `bidirectional`.
  func walk(_ d: Int) -> Direction { reverse || d == 1 ? .backward : .forward }

  /// The error for operand `what` (input `index`) that is not a constant: a graph input to bind, or a value
  /// other nodes compute.
  func nonConstant(_ what: String, index: Int) -> ONNXImportError {
    input(index).flatMap {
      Self.unboundGraphInput($0, what, node: node, cell: cell, aliases: aliases, graphInputs: graphInputs)
    } ?? .unsupportedGraph("\(cell.opType) node '\(name)': \(what) is not a constant")
  }

  /// ``ONNXImportError/graphInputNotConstant(opType:node:operand:input:)`` when `value` is a graph input.
  static func unboundGraphInput(
    _ value: String, _ what: String, node: ONNXNode, cell: ONNXRecurrentCell, aliases: [String: String],
    graphInputs: [ONNXValueInfo]
  ) -> ONNXImportError? {
    let root = aliases[value] ?? value
    guard graphInputs.contains(where: { $0.name == root }) else { return nil }
    return .graphInputNotConstant(opType: cell.opType, node: node.displayName, operand: what, input: root)
  }

  /// Rows `k*H..<(k+1)*H` of direction `d` of a packed `[directions, gates*H, columns]` tensor (W or R).
  func gateBlock(_ tensor: ONNXTensor, direction d: Int, gate k: Int, columns: Int) -> Tensor {
    let start = (d * cell.gateCount * hidden + k * hidden) * columns
    return Tensor(shape: [hidden, columns], data: Array(tensor.floats[start..<(start + hidden * columns)]))
  }

  /// Block `k` (`0..<2*gates`: the input biases `Wb` then the recurrent biases `Rb`) of direction `d`
  /// of `B`; zeros without a `B`.
  func biasBlock(_ b: ONNXTensor?, direction d: Int, block k: Int) -> [Float] {
    guard let b else { return [Float](repeating: 0, count: hidden) }
    let start = (d * 2 * cell.gateCount + k) * hidden
    return Array(b.floats[start..<(start + hidden)])
  }

  /// A constant optional input (nil when absent, all-zero states, or a graph input, which is
  /// recorded as an extra model input instead).
  private mutating func optionalInput(_ index: Int, role: InputRole) throws -> ONNXTensor? {
    guard let value = input(index) else { return nil }
    let root = aliases[value] ?? value
    if zeros.contains(root) || external.contains(root) { return nil }
    if let constant = constants[root] {
      if role == .sequenceLengths {
        guard constant.dims.count == 1, !constant.dataType.isFloatingPoint else {
          throw ONNXImportError.invalidNode(node: name, reason: "sequence_lens must be int32 [batch]")
        }
        return constant
      }
      let expected = batchFirst ? 0 : 1
      guard constant.dims.count == 3, constant.dims[batchFirst ? 1 : 0] == directions,
        constant.dims[2] == hidden, constant.dims[expected] > 0
      else {
        throw ONNXImportError.invalidNode(node: name, reason: "\(root) has shape \(constant.dims)")
      }
      try Self.checkFloat(constant, role.identifier, node: name, opType: cell.opType)
      return constant.floats.allSatisfy { $0 == 0 } ? nil : constant
    }
    guard let info = graphInputs.first(where: { $0.name == root }) else {
      throw ONNXImportError.unsupportedGraph(
        "\(cell.opType) node '\(name)': input '\(value)' is computed by another node")
    }
    let batch = sequenceInput.shape[0]
    switch role {
    case .sequenceLengths:
      extraInputs.append(ModelInput(name: info.name, elementType: .int32, shape: [batch], role: role))
    default:
      extraInputs.append(
        ModelInput(
          name: info.name, elementType: .float32, shape: [batch, directions * hidden], role: role,
          fileAxes: stateAxes))
    }
    return nil
  }

  /// Direction `d`'s `[batch, hidden]` slice of a constant initial state.
  private func stateSlice(_ state: ONNXTensor, direction d: Int) -> Tensor {
    let batch = state.dims[batchFirst ? 0 : 1]
    var data: [Float] = []
    data.reserveCapacity(batch * hidden)
    for sample in 0..<batch {
      let start =
        batchFirst ? (sample * directions + d) * hidden : (d * batch + sample) * hidden
      data.append(contentsOf: state.floats[start..<(start + hidden)])
    }
    return Tensor(shape: [batch, hidden], data: data)
  }

  /// Model output `name` for output `index` of the node (0 Y, 1 Y_h, 2 Y_c of an LSTM).
  func output(_ index: Int, name: String) -> ModelOutput? {
    switch index {
    case 0:
      let split: [AxisSource] = [.outer(axis: 2, count: directions), .inner(axis: 2, count: directions)]
      return ModelOutput(
        name: name, layer: layerIndex, port: .output,
        fileAxes: batchFirst
          ? [.canonical(0), .canonical(1)] + split : [.canonical(1), split[0], .canonical(0), split[1]])
    case 1: return ModelOutput(name: name, layer: layerIndex, port: .hiddenStates, fileAxes: stateAxes)
    case 2 where cell.hasCellState:
      return ModelOutput(name: name, layer: layerIndex, port: .cellStates, fileAxes: stateAxes)
    default: return nil
    }
  }
}
