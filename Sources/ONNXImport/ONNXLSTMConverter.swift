import CanonicalModel

/// Maps one ONNX `LSTM` node onto a canonical LSTM or Bidirectional layer, its
/// extra model inputs and its outputs.
struct ONNXLSTMConverter {
  let node: ONNXNode
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

  private var name: String { node.displayName }

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
    guard let w = inputs.optional(1).flatMap({ constants[aliases[$0] ?? $0] }), w.dims.count == 3 else {
      throw ONNXImportError.unsupportedGraph("LSTM node '\(name)': W must be a constant [directions, 4*hidden, input]")
    }
    try Self.checkFloat(w, "W", node: name)
    guard w.dims[0] == directions, w.dims[1] % 4 == 0, w.dims[1] > 0, w.dims[2] > 0 else {
      throw ONNXImportError.invalidNode(node: name, reason: "W has shape \(w.dims) for \(direction) direction")
    }
    hidden = w.dims[1] / 4
    inputSize = w.dims[2]
    if let declared = node.attributes["hidden_size"]?.int, declared != hidden {
      throw ONNXImportError.invalidNode(node: name, reason: "hidden_size is \(declared) but W has shape \(w.dims)")
    }
    if chained {
      sequenceInput = ModelInput(name: "", elementType: .float32, shape: [nil, nil, inputSize])
      return
    }
    guard let x = inputs.optional(0), let xInfo = graphInputs.first(where: { $0.name == (aliases[x] ?? x) }) else {
      throw ONNXImportError.unsupportedGraph("LSTM node '\(name)': X must be a graph input")
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

  private func input(_ index: Int) -> String? {
    ONNXNodeInputs(node).optional(index)
  }

  /// Refuses a weight tensor that is not floating point (integer W, R, B or P have no float values to split).
  private static func checkFloat(_ tensor: ONNXTensor, _ what: String, node: String) throws {
    guard tensor.dataType.isFloatingPoint else {
      throw ONNXImportError.invalidNode(
        node: node,
        reason: "\(what) '\(tensor.name)' has element type \(tensor.dataType.name); LSTM weights must be float, "
          + "float16, bfloat16 or double")
    }
  }

  private func constant(_ index: Int) -> ONNXTensor? {
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
    guard let w = constant(1) else { throw ONNXImportError.missingValue(node: name, input: input(1) ?? "W") }
    guard let r = constant(2), r.dims == [directions, 4 * hidden, hidden] else {
      throw ONNXImportError.unsupportedGraph(
        "LSTM node '\(name)': R must be a constant [\(directions), \(4 * hidden), \(hidden)]")
    }
    let b = constant(3)
    if let b, b.dims != [directions, 8 * hidden] {
      throw ONNXImportError.invalidNode(
        node: name, reason: "B has shape \(b.dims), expected [\(directions), \(8 * hidden)]")
    }
    let p = constant(7)
    if let p, p.dims != [directions, 3 * hidden] {
      throw ONNXImportError.invalidNode(
        node: name, reason: "P has shape \(p.dims), expected [\(directions), \(3 * hidden)]")
    }
    if input(3) != nil && b == nil { throw nonConstant("B") }
    if input(7) != nil && p == nil { throw nonConstant("P") }
    try Self.checkFloat(r, "R", node: name)
    if let b { try Self.checkFloat(b, "B", node: name) }
    if let p { try Self.checkFloat(p, "P", node: name) }

    // Activations: 3 per direction.
    let names: [String]
    if case .strings(let list)? = node.attributes["activations"] {
      names = list
    } else {
      names = Array(repeating: ["Sigmoid", "Tanh", "Tanh"], count: directions).flatMap { $0 }
    }
    guard names.count == 3 * directions else {
      throw ONNXImportError.invalidNode(
        node: name, reason: "activations lists \(names.count) functions, expected \(3 * directions)")
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
    let inputForget = (node.attributes["input_forget"]?.int ?? 0) != 0

    // Optional state and length inputs: constants become layer properties, graph inputs model inputs.
    let lengths = try optionalInput(4, role: .sequenceLengths)
    let initialH = try optionalInput(5, role: .initialHiddenState(layer: layerIndex))
    let initialC = try optionalInput(6, role: .initialCellState(layer: layerIndex))

    func direction(_ d: Int) -> LSTMLayer {
      var weights = LSTMWeights(
        input: gate(.input, d, w: w, r: r, b: b), forget: gate(.forget, d, w: w, r: r, b: b),
        cell: gate(.cell, d, w: w, r: r, b: b), output: gate(.output, d, w: w, r: r, b: b))
      if let p {
        for (k, gate) in ONNXGateLayout.peepholes.enumerated() {
          let start = d * 3 * hidden + k * hidden
          weights.peepholes[gate] = Tensor(shape: [hidden], data: Array(p.floats[start..<(start + hidden)]))
        }
      }
      let backward = reverse || d == 1
      var layer = LSTMLayer(
        inputSize: inputSize, hiddenSize: hidden, direction: backward ? .backward : .forward,
        outputOrder: .input, returnSequences: true, weights: weights,
        activations: LSTMActivations(
          gate: activations[3 * d], cell: activations[3 * d + 1], hidden: activations[3 * d + 2]),
        usesBias: b != nil, clip: clip, coupledInputForget: inputForget, zeroOutputForMask: true)
      layer.initialHidden = initialH.flatMap { stateSlice($0, direction: d) }
      layer.initialCell = initialC.flatMap { stateSlice($0, direction: d) }
      layer.sequenceLengths = lengths.map { Tensor(shape: [$0.dims.first ?? 0], data: $0.integers.map { Float($0) }) }
      return layer
    }
    if directions == 2 {
      return .bidirectional(BidirectionalLayer(forward: direction(0), backward: direction(1), mergeMode: .concat))
    }
    return .lstm(direction(0))
  }

  private func nonConstant(_ what: String) -> ONNXImportError {
    .unsupportedGraph("LSTM node '\(name)': \(what) is not a constant")
  }

  /// One gate of direction `d`: rows `k*H..<(k+1)*H` of W and R, `Wb + Rb`.
  private func gate(_ gate: Gate, _ d: Int, w: ONNXTensor, r: ONNXTensor, b: ONNXTensor?) -> GateWeights {
    let k = ONNXGateLayout.packed.firstIndex(of: gate)!
    let wStart = (d * 4 * hidden + k * hidden) * inputSize
    let rStart = (d * 4 * hidden + k * hidden) * hidden
    var bias = [Float](repeating: 0, count: hidden)
    if let b {
      let base = d * 8 * hidden
      for j in 0..<hidden {
        bias[j] = b.floats[base + k * hidden + j] + b.floats[base + 4 * hidden + k * hidden + j]
      }
    }
    return GateWeights(
      W: Tensor(shape: [hidden, inputSize], data: Array(w.floats[wStart..<(wStart + hidden * inputSize)])),
      U: Tensor(shape: [hidden, hidden], data: Array(r.floats[rStart..<(rStart + hidden * hidden)])),
      b: Tensor(shape: [hidden], data: bias))
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
      try Self.checkFloat(constant, role.identifier, node: name)
      return constant.floats.allSatisfy { $0 == 0 } ? nil : constant
    }
    guard let info = graphInputs.first(where: { $0.name == root }) else {
      throw ONNXImportError.unsupportedGraph("LSTM node '\(name)': input '\(value)' is computed by another node")
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

  /// Model output `name` for LSTM output `index` (0 Y, 1 Y_h, 2 Y_c).
  func output(_ index: Int, name: String) -> ModelOutput? {
    switch index {
    case 0:
      let split: [AxisSource] = [.outer(axis: 2, count: directions), .inner(axis: 2, count: directions)]
      return ModelOutput(
        name: name, layer: layerIndex, port: .output,
        fileAxes: batchFirst
          ? [.canonical(0), .canonical(1)] + split : [.canonical(1), split[0], .canonical(0), split[1]])
    case 1: return ModelOutput(name: name, layer: layerIndex, port: .hiddenStates, fileAxes: stateAxes)
    case 2: return ModelOutput(name: name, layer: layerIndex, port: .cellStates, fileAxes: stateAxes)
    default: return nil
    }
  }
}
