import CanonicalModel

/// Maps exported graphs (PyTorch's `torch.onnx.export`) onto a canonical chain.
///
/// Every rule asks whether a layer is recurrent (an `LSTM` or a `GRU` node, which
/// ``ONNXRecurrentConverter`` maps), not which cell it has; a GRU has no cell state.
///
/// Every runtime value is a *view* of one canonical value (a layer's output or
/// final states): the canonical data stays batch-first, and the view's axis
/// labels say how the file lays it out. Transposes, Squeezes and Unsqueezes
/// only change the labels; constants are folded; the subgraphs that build zero
/// initial states from the input's shape are recognised and dropped.
///
/// tf2onnx's patterns are recognised too: ReverseSequence over the full length
/// before a forward LSTM (Keras `go_backwards`: a backward LSTM in processing
/// order), Y sliced per direction and recombined (Keras `Bidirectional`: its
/// last steps concatenated, or whole sequences summed), and TimeDistributed's
/// Reshape–MatMul–Reshape. Shape vectors are tracked symbolically (``Dim``) so
/// that reshapes computed from runtime shapes can be checked.
struct ONNXGraphMapper {
  /// One axis of a runtime value as the file lays it out.
  enum Label: Equatable {
    /// The model input's first two axes, until an LSTM says which is time and which batch.
    case x0, x1
    case batch, time, unit
    case directions(Int)
    case features(Int)
    /// Two axes merged into one, outer first (TimeDistributed's Reshape to rows).
    indirect case merged(Label, Label)
  }

  /// One entry of a shape vector: the product of some runtime axes' sizes and a constant.
  struct Dim: Equatable {
    var axes: [Label]
    var factor: Int64
  }

  struct View {
    /// The producing layer, or `nil` for the model's sequence input.
    var layer: Int?
    var port: LayerPort
    var labels: [Label]
    /// Reversed along its time axis by a ReverseSequence over the full length (Keras go_backwards).
    var reversed: Label? = nil
    /// One direction's half of a bidirectional layer's output (sliced on the directions axis).
    var half: Direction? = nil
    /// Whether the half was cut to the step its direction processes last (a unit time axis).
    var halfIsLast = false
    /// Several layers' state ports concatenated on the directions axis (PyTorch's multi-layer
    /// `h_n`/`c_n`); the directions label then counts layers × directions blocks.
    var concatenated: [Int]? = nil
    /// The version of `layer` this view reads (see ``ONNXGraphMapper/versions``); set after each node.
    var version = 0
  }

  /// A block of a state graph input sliced on its directions axis (PyTorch's per-layer `h0[k:k+d]`).
  struct StateSlice: Equatable {
    /// The graph input.
    var input: String
    /// The sliced axis of the file tensor.
    var axis: Int
    var start: Int
    var end: Int
  }

  /// One LSTM's use of a ``StateSlice`` as its initial state.
  struct StateClaim {
    var layer: Int
    var start: Int
    var end: Int
    var isCell: Bool
    var node: String
  }

  enum Value {
    case constant(ONNXTensor)
    /// Computed from runtime shapes only (Shape, Gather, Concat ... of them).
    case shape
    /// A shape vector whose entries are known products of runtime axes.
    case dims([Dim])
    /// A vector filled with the size of one labelled axis: full sequence lengths.
    case filled(Label)
    /// All zeros, shaped from runtime shapes (ConstantOfShape, Expand).
    case zeros
    case runtime(View)
    /// Part of a state graph input, to be read by an LSTM as its `initial_h` or `initial_c`.
    case stateSlice(StateSlice)
    /// One time step of a sequence and the per-step ops applied to it since (Keras 3's TimeDistributed).
    case step(StepSlice)
  }

  static let supportedOps = [
    "LSTM", "GRU", "Gemm", "MatMul", "Add", "Relu", "Sigmoid", "Tanh", "Softmax", "Transpose", "Squeeze", "Unsqueeze",
    "Reshape", "Gather", "Shape", "Concat", "ConstantOfShape", "Expand", "Slice", "Constant", "Identity", "Cast",
    "ReverseSequence", "ReduceProd", "Mul",
  ]

  let file: ONNXModelFile
  var values: [String: Value] = [:]
  var layers: [Layer] = []
  var extraInputs: [ModelInput] = []
  /// x0 and x1 once an LSTM has bound them.
  var xIsTimeFirst: Bool?
  /// The model input's first two dimensions, where fixed.
  var xDims: [Int?] = [nil, nil]
  /// Whether the model input holds integer indices `[x0, x1]` for an Embedding (a Gather on a weight).
  var xIsIndices = false
  /// Dense layers made from a MatMul that an Add may still give a bias.
  var openMatMul: [String: Int] = [:]
  /// Per state graph input read in slices, the LSTMs that read them.
  var stateClaims: [String: [StateClaim]] = [:]
  /// Per state graph input read in slices, the file axis its slices cut (its directions axis).
  var stateAxis: [String: Int] = [:]
  /// Per layer, how many times a later node changed what its output computes (its merge mode, its
  /// return_sequences, its bias): a view of an older version reads an output that no longer exists.
  var versions: [Int: Int] = [:]
  /// Per layer, the node that last changed it, for error messages.
  var changedBy: [Int: String] = [:]

  init(file: ONNXModelFile) {
    self.file = file
  }

  func resolve(_ label: Label) -> Label {
    guard let timeFirst = xIsTimeFirst else { return label }
    switch label {
    case .x0: return timeFirst ? .time : .batch
    case .x1: return timeFirst ? .batch : .time
    default: return label
    }
  }

  func unsupported(_ node: ONNXNode, _ reason: String) -> ONNXImportError {
    .unsupportedGraph("node '\(node.displayName)' (\(node.opType)): \(reason)")
  }

  func value(_ name: String, _ node: ONNXNode) throws -> Value {
    guard let value = values[name] else { throw ONNXImportError.missingValue(node: node.displayName, input: name) }
    if case .runtime(let view) = value, node.opType != "Shape" {
      try checkCurrent(view, name, "node '\(node.displayName)'")
    }
    return value
  }

  func constant(_ name: String, _ node: ONNXNode) throws -> ONNXTensor {
    guard case .constant(let tensor) = try value(name, node) else {
      throw unboundGraphInput(name, node) ?? unsupported(node, "input '\(name)' must be a constant")
    }
    return tensor
  }

  /// ``ONNXImportError/graphInputNotConstant(opType:node:operand:input:)`` when `name`, read by `node`
  /// where a constant is needed, is a graph input without a value (not the model's sequence input, which
  /// is data, not a weight to bind).
  func unboundGraphInput(_ name: String, _ node: ONNXNode) -> ONNXImportError? {
    guard case .runtime(let view)? = values[name], view.layer == nil, view.labels.isEmpty,
      file.graph.runtimeInputs.contains(where: { $0.name == name }), let position = node.inputs.firstIndex(of: name)
    else { return nil }
    return .graphInputNotConstant(
      opType: node.opType, node: node.displayName, operand: "input \(position)", input: name)
  }

  func runtime(_ name: String, _ node: ONNXNode) throws -> View {
    guard case .runtime(let view) = try value(name, node) else {
      throw unsupported(node, "input '\(name)' must be a runtime tensor")
    }
    return view
  }

  /// Whether `value` is computed from runtime shapes only.
  static func isShape(_ value: Value) -> Bool {
    switch value {
    case .shape, .dims, .filled: return true
    default: return false
    }
  }

  /// `list[start:end]` with Python's clamping of negative and large bounds.
  static func sliced<T>(_ list: [T], start: Int64?, end: Int64?) -> [T] {
    Array(list[sliceRange(count: list.count, start: start, end: end)])
  }

  /// The indices `[start:end]` picks of `count` elements, with Python's clamping of negative and large bounds.
  static func sliceRange(count: Int, start: Int64?, end: Int64?) -> Range<Int> {
    let total = Int64(count)
    func clamp(_ value: Int64) -> Int { Int(max(0, min(total, value < 0 ? value + total : value))) }
    let (from, to) = (clamp(start ?? 0), clamp(end ?? total))
    return from < to ? from..<to : from..<from
  }

  /// `axes` of a tensor of rank `rank`, negative ones counted from the end; an axis outside `-rank..<rank`
  /// is an error naming the node.
  static func checkedAxes(_ axes: [Int], rank: Int, node: ONNXNode) throws -> [Int] {
    try axes.map { axis in
      guard (-rank..<rank).contains(axis) else {
        throw ONNXImportError.invalidNode(
          node: node.displayName, reason: "\(node.opType) axis \(axis) is outside a rank-\(rank) tensor's axes")
      }
      return axis < 0 ? axis + rank : axis
    }
  }

  /// Unsqueeze's `axes` as positions in the output (rank `rank + axes.count`), ascending and distinct.
  static func unsqueezeAxes(_ axes: [Int], rank: Int, node: ONNXNode) throws -> [Int] {
    let result = try checkedAxes(axes, rank: rank + axes.count, node: node).sorted()
    guard Set(result).count == result.count else {
      throw ONNXImportError.invalidNode(node: node.displayName, reason: "Unsqueeze axes \(axes) repeat an axis")
    }
    return result
  }

  /// A Slice's `starts`, `ends`, `axes` or `steps`: the attribute (opset < 10) or the constant input at `index`;
  /// `nil` when the node has neither.
  func constantArgument(_ node: ONNXNode, _ index: Int, _ attribute: String) throws -> [Int64]? {
    if case .ints(let list)? = node.attributes[attribute] { return list }
    guard let input = ONNXNodeInputs(node).optional(index) else { return nil }
    return try constant(input, node).integers
  }

  /// The last layer's index (`nil` before the first layer).
  var chainEnd: Int? { layers.isEmpty ? nil : layers.count - 1 }

  /// Checks that `view` is the chain's current main value, so a new layer can consume it.
  mutating func chainInput(_ view: View, _ node: ONNXNode, allowReversed: Bool = false) throws -> View {
    var view = view
    guard allowReversed || view.reversed == nil else {
      throw unsupported(node, "only an LSTM or GRU can read a time-reversed sequence")
    }
    guard view.half == nil else {
      throw unsupported(node, "one direction of a bidirectional output cannot be used alone")
    }
    guard view.concatenated == nil else {
      throw unsupported(node, "the final states of several layers can only be a graph output")
    }
    if view.port != .output, let layer = view.layer, layer == chainEnd,
      let recurrent = lastOutputIsFinalState(layer),
      view.labels.map(resolve) == [.batch, .features(recurrent.hiddenSize)]
    {
      // The final h of a forward LSTM or GRU (or one returning processing order) is its last output: return the
      // last step only.
      guard view.port == .hiddenStates else { throw unsupported(node, "only h can feed the next layer") }
      returnLastStepOnly(layer, node)
      view.port = .output
    }
    if view.port == .hiddenStates, let layer = view.layer, layer == chainEnd,
      case .bidirectional(var bi) = layers[layer].kind,
      view.labels.map(resolve) == [.batch, .features(2 * bi.forward.hiddenSize)]
    {
      // Both directions' final h on the features axis, forward first: the Bidirectional's last steps, concatenated.
      bi.mergeMode = .concat
      bi.forward.returnSequences = false
      bi.backward.returnSequences = false
      reconfigure(layer, .bidirectional(bi), node)
      view.port = .output
    }
    guard view.layer == chainEnd, view.port == .output else {
      throw unsupported(node, "only chains of layers are supported: its input is not the previous layer's output")
    }
    return view
  }

  mutating func run() throws -> Model {
    let graph = file.graph
    for initializer in graph.initializers { values[initializer.name] = .constant(initializer) }
    let runtimeInputs = graph.runtimeInputs
    var sequenceInput: ONNXValueInfo?
    for input in runtimeInputs where values[input.name] == nil {
      if sequenceInput == nil {
        sequenceInput = input
        if let type = input.elementType, !type.isFloatingPoint, type != .undefined {
          // Integer indices [x0, x1]: only a Gather on a weight (an Embedding) can read them.
          guard let shape = input.shape, shape.count == 2 else {
            throw ONNXImportError.unsupportedGraph(
              "integer input '\(input.name)' must be indices of rank 2 ([batch, time] or time-first)")
          }
          xIsIndices = true
          xDims = [shape[0].fixed, shape[1].fixed]
          values[input.name] = .runtime(View(layer: nil, port: .output, labels: [.x0, .x1]))
          continue
        }
        let features = input.shape?.last?.fixed ?? 0
        if let shape = input.shape, shape.count == 3 { xDims = [shape[0].fixed, shape[1].fixed] }
        values[input.name] = .runtime(View(layer: nil, port: .output, labels: [.x0, .x1, .features(features)]))
      } else {
        values[input.name] = .runtime(View(layer: nil, port: .output, labels: []))  // claimed by an LSTM below
      }
    }
    guard let xInfo = sequenceInput else { throw ONNXImportError.unsupportedGraph("the graph has no input") }
    try mapNodes(graph.nodes)

    guard let timeFirst = xIsTimeFirst, !layers.isEmpty else {
      throw ONNXImportError.unsupportedGraph("no LSTM or GRU reads the graph input '\(xInfo.name)'")
    }
    var inputs: [ModelInput]
    if xIsIndices {
      guard case .embedding = layers[0].kind else {
        throw ONNXImportError.unsupportedGraph(
          "integer input '\(xInfo.name)' must be read by a Gather on a weight (an Embedding) before any other layer")
      }
      let dims = xDims
      inputs = [
        ModelInput(
          name: xInfo.name, elementType: .int32, shape: timeFirst ? [dims[1], dims[0]] : [dims[0], dims[1]],
          fileAxes: timeFirst ? [.canonical(1), .canonical(0)] : nil)
      ]
    } else {
      let dims = xInfo.shape?.map(\.fixed) ?? [nil, nil, nil]
      guard dims.count == 3, let features = dims[2] else {
        throw ONNXImportError.unsupportedGraph("input '\(xInfo.name)' must be [batch, time, features] or time-first")
      }
      inputs = [
        ModelInput(
          name: xInfo.name, elementType: .float32,
          shape: timeFirst ? [dims[1], dims[0], features] : [dims[0], dims[1], features],
          fileAxes: timeFirst ? [.canonical(1), .canonical(0), .canonical(2)] : nil)
      ]
    }
    inputs += extraInputs
    inputs += try slicedStateInputs()
    var outputs: [ModelOutput] = []
    for output in graph.outputs {
      if case .step? = values[output.name] {
        throw ONNXImportError.unsupportedGraph(
          "graph output '\(output.name)' is a single time step; single steps are supported only when every step "
            + "of the sequence is concatenated back in order")
      }
      guard case .runtime(var view)? = values[output.name], let layer = view.layer else {
        throw ONNXImportError.unsupportedGraph("graph output '\(output.name)' is not computed by a layer")
      }
      try checkCurrent(view, output.name, "graph output '\(output.name)'")
      if let half = view.half, view.port == .hiddenStates || view.port == .cellStates {
        // One direction's final state of a bidirectional layer (Keras Bidirectional's return_state).
        view.port = view.port == .hiddenStates ? .hiddenState(half) : .cellState(half)
        view.half = nil
      }
      outputs.append(
        ModelOutput(
          name: output.name, layer: layer, port: view.port, fileAxes: try fileAxes(view, output.name),
          concatenatedLayers: view.concatenated))
    }
    let framework = [file.producerName, file.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
    return Model(
      inputs: inputs, layers: layers, outputs: outputs,
      source: ModelSource(format: "onnx (opset \(file.opset))", framework: framework, file: ""))
  }

  /// The final states (all `h` or all `c`) of several recurrent layers concatenated on their directions
  /// axis in layer order (PyTorch's multi-layer `h_n`/`c_n`), or `nil` when `parts` are not such states.
  func concatenatedStates(_ parts: [Value], _ node: ONNXNode) throws -> View? {
    let views = parts.compactMap { part -> View? in
      if case .runtime(let view) = part { return view }
      return nil
    }
    guard views.count == parts.count, views.count >= 2, let first = views.first,
      first.port == .hiddenStates || first.port == .cellStates,
      views.allSatisfy({ $0.port == first.port && $0.layer != nil && $0.half == nil && $0.reversed == nil })
    else { return nil }
    let rank = first.labels.count
    let rawAxis = Int(node.attributes["axis"]?.int ?? 0)
    let axis = rawAxis < 0 ? rawAxis + rank : rawAxis
    guard (0..<rank).contains(axis) else { return nil }
    guard case .features(let hidden)? = first.labels.last.map(resolve) else { return nil }
    var blocks = 0
    var list: [Int] = []
    for view in views {
      guard view.labels.count == rank, case .directions(let count) = view.labels[axis],
        view.labels.indices.allSatisfy({ $0 == axis || resolve(view.labels[$0]) == resolve(first.labels[$0]) })
      else { throw unsupported(node, "the concatenated final states do not line up on a directions axis") }
      // Every part must be whole: its layers' `directions * hidden` values, all of them.
      let parts = view.concatenated ?? [view.layer!]
      guard parts.map({ Self.stateSize(of: layers[$0]) }).reduce(0, +) == count * hidden else {
        throw unsupported(node, "the concatenated final states are not whole layers' states")
      }
      blocks += count
      list += parts
    }
    guard zip(list, list.dropFirst()).allSatisfy({ $0 < $1 }) else {
      throw unsupported(node, "it concatenates final states out of layer order")
    }
    var view = first
    view.labels[axis] = .directions(blocks)
    view.concatenated = list
    return view
  }

  /// `directions * hidden` of a recurrent layer, 0 for any other.
  static func stateSize(of layer: Layer) -> Int {
    layer.kind.stateSize ?? 0
  }

  /// A Slice of a state graph input `[layers * directions, batch, hidden]` (or batch first) along
  /// one of its first two axes, with constant bounds and step 1: `h0[k:k+d]`.
  func stateSlice(_ node: ONNXNode) throws -> StateSlice {
    func argument(_ index: Int, _ attribute: String) throws -> [Int64]? {
      try constantArgument(node, index, attribute)
    }
    let data = try ONNXNodeInputs(node)[0]
    guard let info = file.graph.inputs.first(where: { $0.name == data }),
      let dims = info.shape?.map(\.fixed), dims.count == 3
    else { throw unsupported(node, "it slices graph input '\(data)', which is not a rank-3 state") }
    guard let starts = try argument(1, "starts"), let ends = try argument(2, "ends"), starts.count == 1,
      ends.count == 1, (try argument(4, "steps") ?? [1]) == [1],
      let rawAxis = (try argument(3, "axes") ?? [0]).first, (try argument(3, "axes") ?? [0]).count == 1
    else { throw unsupported(node, "only a slice with constant bounds and step 1 on one axis of a state is supported") }
    let axis = Int(rawAxis < 0 ? rawAxis + 3 : rawAxis)
    guard axis == 0 || axis == 1, let extent = dims[axis] else {
      throw unsupported(node, "it slices axis \(rawAxis) of '\(info.name)', which is not a fixed directions axis")
    }
    let picked = Self.sliceRange(count: extent, start: starts[0], end: ends[0])
    guard !picked.isEmpty else { throw unsupported(node, "it takes nothing of '\(info.name)'") }
    return StateSlice(input: info.name, axis: axis, start: picked.lowerBound, end: picked.upperBound)
  }

  /// The model inputs of state graph inputs read in slices: each must be read whole, its blocks by
  /// LSTMs in layer order, all for `h` or all for `c`; it then feeds those layers' initial states.
  func slicedStateInputs() throws -> [ModelInput] {
    var result: [ModelInput] = []
    for info in file.graph.inputs {
      guard let claims = stateClaims[info.name], let axis = stateAxis[info.name] else { continue }
      func fail(_ reason: String) -> ONNXImportError {
        .unsupportedGraph("state input '\(info.name)': \(reason)")
      }
      guard !extraInputs.contains(where: { $0.name == info.name }) else {
        throw fail("it is read both whole and in slices")
      }
      let dims = info.shape?.map(\.fixed) ?? []
      guard dims.count == 3, let total = dims[axis], let hidden = dims[2] else {
        throw fail("its shape must be [layers * directions, batch, hidden] with fixed layers and hidden")
      }
      let ordered = claims.sorted { $0.start < $1.start }
      guard ordered.first?.start == 0, ordered.last?.end == total,
        zip(ordered, ordered.dropFirst()).allSatisfy({ $0.end == $1.start && $0.layer < $1.layer })
      else {
        let used = ordered.map { "[\($0.start):\($0.end)] by '\($0.node)'" }.joined(separator: ", ")
        throw fail("its slices \(used) must cover all \(total) blocks of axis \(axis) once each, in layer order")
      }
      guard Set(claims.map(\.isCell)).count == 1 else { throw fail("it feeds both initial_h and initial_c") }
      let isCell = claims[0].isCell
      let layerList = ordered.map(\.layer)
      let role: InputRole
      if layerList.count == 1 {
        role = isCell ? .initialCellState(layer: layerList[0]) : .initialHiddenState(layer: layerList[0])
      } else {
        role = isCell ? .initialCellStates(layers: layerList) : .initialHiddenStates(layers: layerList)
      }
      let axes: [AxisSource] =
        axis == 0
        ? [.outer(axis: 1, count: total), .canonical(0), .inner(axis: 1, count: total)]
        : [.canonical(0), .outer(axis: 1, count: total), .inner(axis: 1, count: total)]
      result.append(
        ModelInput(
          name: info.name, elementType: .float32, shape: [dims[axis == 0 ? 1 : 0], total * hidden], role: role,
          fileAxes: axes))
    }
    return result
  }

  /// The file layout of a view over its canonical value.
  func fileAxes(_ view: View, _ name: String) throws -> [AxisSource]? {
    guard let layer = view.layer else { return nil }
    guard view.half == nil else {
      throw ONNXImportError.unsupportedGraph("output '\(name)' is one direction of a bidirectional output")
    }
    let isSequence: Bool
    if let recurrent = layers[layer].kind.recurrentDirections.first {
      isSequence = view.port == .output && recurrent.returnSequences
    } else {
      isSequence = view.labels.map(resolve).contains(.time)
    }
    let last = isSequence ? 2 : 1
    var axes: [AxisSource] = []
    let labels = view.labels.map(resolve)
    let directions = labels.compactMap { label -> Int? in
      if case .directions(let count) = label { return count }
      return nil
    }.first
    for label in labels {
      switch label {
      case .batch: axes.append(.canonical(0))
      case .time: axes.append(.canonical(1))
      case .unit: axes.append(.unit)
      case .features: axes.append(directions.map { .inner(axis: last, count: $0) } ?? .canonical(last))
      case .directions(let count): axes.append(.outer(axis: last, count: count))
      case .x0, .x1, .merged:
        throw ONNXImportError.unsupportedGraph("output '\(name)' has unresolved axes")
      }
    }
    let identity = (0..<(last + 1)).map { AxisSource.canonical($0) }
    return axes == identity ? nil : axes
  }

  // MARK: - Nodes

  mutating func map(_ node: ONNXNode) throws {
    let name = node.displayName
    guard node.domain.isEmpty || node.domain == "ai.onnx" else {
      throw ONNXImportError.unsupportedOp(
        opType: "\(node.domain).\(node.opType)", node: name, supported: Self.supportedOps)
    }
    let out = node.outputs.first ?? ""
    let inputs = ONNXNodeInputs(node)
    if try mapStep(node) { return }
    func axesArgument() throws -> [Int]? {
      if case .ints(let list)? = node.attributes["axes"] { return list.map { Int($0) } }
      if let axes = inputs.optional(1) { return try constant(axes, node).integers.map { Int($0) } }
      return nil
    }
    switch node.opType {
    case "Constant":
      guard case .tensor(var tensor)? = node.attributes["value"] else {
        throw ONNXImportError.invalidNode(node: name, reason: "Constant without a tensor 'value'")
      }
      tensor.name = out
      values[out] = .constant(tensor)
    case "Identity", "Cast":
      switch try value(inputs[0], node) {
      case .constant(let tensor): values[out] = .constant(try ONNXImporter.cast(tensor, node: node, name: out))
      case let other: values[out] = other
      }
    case "Shape":
      if case .runtime(let view) = try value(inputs[0], node), view.reversed == nil {
        let dims = view.labels.map { label in
          switch label {
          case .features(let n), .directions(let n): return Dim(axes: [], factor: Int64(n))
          case .unit: return Dim(axes: [], factor: 1)
          default: return Dim(axes: [label], factor: 1)
          }
        }
        values[out] = .dims(Self.sliced(dims, start: node.attributes["start"]?.int, end: node.attributes["end"]?.int))
      } else {
        values[out] = .shape
      }
    case "Gather":
      let data = try value(inputs[0], node)
      let indices = try value(inputs[1], node)
      switch (data, indices) {
      case (.dims(let dims), .constant(let index))
      where index.dims.count <= 1 && index.integers.allSatisfy({ (-dims.count..<dims.count).contains(Int($0)) }):
        values[out] = .dims(index.integers.map { dims[Int($0) < 0 ? Int($0) + dims.count : Int($0)] })
      case _ where Self.isShape(data) || Self.isShape(indices): values[out] = .shape
      case (.runtime(var view), .constant(let index)) where view.half == nil:
        let axis = Int(node.attributes["axis"]?.int ?? 0)
        let rank = view.labels.count
        let k = axis < 0 ? axis + rank : axis
        guard (0..<rank).contains(k), index.dims.isEmpty || index.dims == [1], let position = index.integers.first
        else { throw unsupported(node, "only a single constant index is supported") }
        switch resolve(view.labels[k]) {
        case .time:
          guard position == -1, let layer = view.layer, layer == chainEnd, view.port == .output,
            view.concatenated == nil
          else { throw unsupported(node, "only the last step (-1) of the previous layer's sequence can be picked") }
          if lastOutputIsFinalState(layer) != nil {
            // A forward LSTM's or GRU's last output is what it returns without return_sequences.
            returnLastStepOnly(layer, node)
          } else {
            // Any other sequence (a bidirectional or backward layer's, in input order): its last step as it stands,
            // which for a backward direction is its output after the last input step only.
            layers.append(
              Layer(name: uniqueName(node), kind: .lastTimeStep, origin: LayerOrigin(name: name, className: "Gather")))
            view.layer = layers.count - 1
          }
        case .directions(let count) where count == 1 && (position == 0 || position == -1): break
        case .directions(2) where view.port != .output && view.concatenated == nil && (-2..<2).contains(position):
          // One direction's final state of a bidirectional layer.
          view.half = position == 0 || position == -2 ? .forward : .backward
        case .directions(let count) where view.concatenated != nil:
          view = try stateBlock(view, blocks: count, position: position, node)
        default: throw unsupported(node, "it picks from an axis lstmc cannot select on")
        }
        view.labels.remove(at: k)
        values[out] = .runtime(view)
      case (.constant(let table), .runtime(let view)):
        values[out] = .runtime(try embedding(node, table: table, indices: view))
      default:
        throw unboundGraphInput(node.inputs[0], node) ?? unsupported(node, Self.embeddingSupport)
      }
    case "Unsqueeze", "Squeeze":
      switch try value(inputs[0], node) {
      case .dims(let dims): values[out] = .dims(dims)
      case .shape, .filled: values[out] = .shape
      case .zeros: values[out] = .zeros
      case .stateSlice: throw unsupported(node, "a slice of a state input can only be an LSTM's or GRU's initial state")
      case .step: throw unsupported(node, "a single time step cannot be used here")
      case .constant(var tensor):
        guard let axes = try axesArgument() else { throw unsupported(node, "axes are needed") }
        if node.opType == "Unsqueeze" {
          for axis in try Self.unsqueezeAxes(axes, rank: tensor.dims.count, node: node) {
            tensor.dims.insert(1, at: axis)
          }
        } else {
          let remove = Set(try Self.checkedAxes(axes, rank: tensor.dims.count, node: node))
          guard remove.allSatisfy({ tensor.dims[$0] == 1 }) else {
            throw ONNXImportError.invalidNode(
              node: name, reason: "Squeeze axes \(axes) include an axis that is not of size 1 in \(tensor.dims)")
          }
          tensor.dims = tensor.dims.enumerated().filter { !remove.contains($0.offset) }.map(\.element)
        }
        values[out] = .constant(tensor)
      case .runtime(var view):
        if node.opType == "Unsqueeze" {
          guard let axes = try axesArgument() else { throw unsupported(node, "axes are needed") }
          for axis in try Self.unsqueezeAxes(axes, rank: view.labels.count, node: node) {
            view.labels.insert(.unit, at: axis)
          }
        } else {
          let rank = view.labels.count
          let axes =
            try axesArgument().map { try Self.checkedAxes($0, rank: rank, node: node) }
            ?? view.labels.indices.filter { [.unit, .directions(1)].contains(view.labels[$0]) }
          for axis in Set(axes).sorted(by: >) {
            guard [.unit, .directions(1)].contains(view.labels[axis]) else {
              throw unsupported(node, "it squeezes an axis that is not of size 1")
            }
            view.labels.remove(at: axis)
          }
        }
        values[out] = .runtime(view)
      }
    case "Concat":
      guard inputs.count > 0 else { throw ONNXImportError.invalidNode(node: name, reason: "Concat has no inputs") }
      let parts = try inputs.names.map { try value($0, node) }
      if parts.contains(where: { if case .dims = $0 { true } else { false } }),
        parts.allSatisfy({
          switch $0 {
          case .dims: return true
          case .constant(let t): return t.dims.count == 1 && !t.dataType.isFloatingPoint
          default: return false
          }
        })
      {
        values[out] = .dims(
          parts.flatMap { part -> [Dim] in
            switch part {
            case .dims(let dims): return dims
            case .constant(let t): return t.integers.map { Dim(axes: [], factor: $0) }
            default: return []
            }
          })
      } else if parts.contains(where: Self.isShape) {
        values[out] = .shape
      } else if parts.contains(where: { if case .zeros = $0 { true } else { false } }),
        parts.allSatisfy({
          switch $0 {
          case .zeros: return true
          case .constant(let t): return t.floats.allSatisfy { $0 == 0 } && t.integers.allSatisfy { $0 == 0 }
          default: return false
          }
        })
      {
        values[out] = .zeros
      } else if parts.allSatisfy({ if case .constant = $0 { true } else { false } }) {
        let tensors = parts.compactMap { if case .constant(let t) = $0 { t } else { nil } }
        values[out] = .constant(
          try Self.concatenate(tensors, axis: Int(node.attributes["axis"]?.int ?? 0), node: node, name: out))
      } else if parts.count == 2,
        let view = try mergeHalves(parts[0], parts[1], .concat, node, axis: Int(node.attributes["axis"]?.int ?? 0))
      {
        // Keras Bidirectional(merge_mode="concat"): both directions on the features axis, forward first.
        values[out] = .runtime(view)
      } else if let view = try concatenatedStates(parts, node) {
        values[out] = .runtime(view)
      } else {
        throw unsupported(
          node,
          "only shape vectors, the two directions of a bidirectional output (forward first, on the features) and "
            + "several layers' final states can be concatenated")
      }
    case "ConstantOfShape":
      var fill: Float = 0
      if case .tensor(let tensor)? = node.attributes["value"] {
        fill = tensor.dataType.isFloatingPoint ? (tensor.floats.first ?? 0) : Float(tensor.integers.first ?? 0)
      }
      guard fill == 0 else { throw unsupported(node, "only zero-filled tensors are supported") }
      _ = try value(inputs[0], node)
      values[out] = .zeros
    case "Expand":
      switch try value(inputs[0], node) {
      case .zeros: values[out] = .zeros
      case .dims(let dims) where dims.count == 1 && dims[0].axes.count == 1 && dims[0].factor == 1:
        let label = dims[0].axes[0]
        guard Self.isShape(try value(inputs[1], node)) else { throw unsupported(node, "its shape must be computed") }
        values[out] = .filled(label)
      case let shape where Self.isShape(shape): values[out] = .shape
      case .constant(let tensor) where tensor.floats.allSatisfy({ $0 == 0 }) && tensor.integers.allSatisfy({ $0 == 0 }):
        values[out] = .zeros
      default: throw unsupported(node, "only zero tensors can be expanded")
      }
    case "Slice":
      func sliceArgument(_ index: Int, _ attribute: String) -> [Int64]? {
        if case .ints(let list)? = node.attributes[attribute] { return list }
        guard let input = inputs.optional(index), case .constant(let t)? = values[input] else { return nil }
        return t.integers
      }
      switch try value(inputs[0], node) {
      case .dims(let dims):
        if let starts = sliceArgument(1, "starts"), let ends = sliceArgument(2, "ends"), starts.count == 1,
          ends.count == 1, (sliceArgument(3, "axes") ?? [0]).allSatisfy({ $0 == 0 || $0 == -1 }),
          (sliceArgument(4, "steps") ?? [1]) == [1]
        {
          values[out] = .dims(Self.sliced(dims, start: starts[0], end: ends[0]))
        } else {
          values[out] = .shape
        }
      case let shape where Self.isShape(shape): values[out] = .shape
      case .zeros: values[out] = .zeros
      case .runtime(let view) where view.layer == nil && view.labels.isEmpty:
        values[out] = .stateSlice(try stateSlice(node))
      case .runtime(var view):
        // x[-1:] on the time axis: the last step, keeping a unit axis.
        func argument(_ index: Int, _ attribute: String) throws -> [Int64]? {
          try constantArgument(node, index, attribute)
        }
        let rank = view.labels.count
        if let starts = try argument(1, "starts"), let ends = try argument(2, "ends"), starts.count == 1,
          ends.count == 1, (try argument(4, "steps") ?? [1]) == [1],
          let axis = (try argument(3, "axes") ?? [0]).first.map({ Int($0) < 0 ? Int($0) + rank : Int($0) }),
          (0..<rank).contains(axis), let layer = view.layer, view.concatenated == nil,
          view.port != .output || layer == chainEnd, case .bidirectional = layers[layer].kind
        {
          let (start, end) = (starts[0], ends[0])
          if view.half == nil, view.labels[axis] == .directions(2) {
            // Y[:, 0:1] or Y[:, 1:2] (Y_h[0:1], ...): one direction's half.
            guard start == 0 && end == 1 || start == 1 && end >= 2 else {
              throw unsupported(node, "only one whole direction can be sliced")
            }
            view.half = start == 0 ? .forward : .backward
            view.labels[axis] = .directions(1)
            values[out] = .runtime(view)
            return
          }
          if let half = view.half, !view.halfIsLast, resolve(view.labels[axis]) == .time {
            // The step each direction processes last: [-1:] forward, [0:1] backward.
            let last = half == .forward ? start == -1 && end >= Int64(Int32.max) : start == 0 && end == 1
            guard last else { throw unsupported(node, "only the step a direction processes last can be sliced") }
            view.halfIsLast = true
            view.labels[axis] = .unit
            values[out] = .runtime(view)
            return
          }
        }
        if let step = try stepSlice(view, name: try inputs[0], node) {
          values[out] = .step(step)
          return
        }
        guard view.half == nil, let starts = try argument(1, "starts"), let ends = try argument(2, "ends"),
          starts.count == 1,
          ends.count == 1, starts[0] == -1, ends[0] >= Int64(Int32.max),
          let axis = (try argument(3, "axes") ?? [0]).first.map({ Int($0) < 0 ? Int($0) + rank : Int($0) }),
          (try argument(4, "steps") ?? [1]) == [1], (0..<rank).contains(axis), resolve(view.labels[axis]) == .time,
          let layer = view.layer, layer == chainEnd, view.port == .output, lastOutputIsFinalState(layer) != nil
        else {
          throw unsupported(
            node,
            "only the last step ([-1:]) of a forward LSTM's or GRU's sequence can be sliced, not single steps one "
              + "by one (Keras 3's TimeDistributed exported through tf2onnx)")
        }
        returnLastStepOnly(layer, node)
        view.labels[axis] = .unit
        values[out] = .runtime(view)
      default: throw unsupported(node, "only slices of shapes and zero states are supported yet")
      }
    case "Transpose":
      var view = try runtime(inputs[0], node)
      let perm: [Int]
      if case .ints(let list)? = node.attributes["perm"] {
        perm = list.map { Int($0) }
      } else {
        perm = Array(view.labels.indices.reversed())
      }
      guard perm.sorted() == Array(view.labels.indices) else { throw unsupported(node, "invalid perm") }
      view.labels = perm.map { view.labels[$0] }
      values[out] = .runtime(view)
    case "Mul":
      // Products of shape entries (the dynamo exporter's reshape arithmetic).
      let (a, b) = (try value(inputs[0], node), try value(inputs[1], node))
      if case .dims(let x) = a, case .dims(let y) = b, x.count == 1, y.count == 1,
        case (let factor, false) = x[0].factor.multipliedReportingOverflow(by: y[0].factor)
      {
        values[out] = .dims([Dim(axes: x[0].axes + y[0].axes, factor: factor)])
      } else if Self.isShape(a) || Self.isShape(b) {
        values[out] = .shape
      } else if let view = try mergeHalves(a, b, .mul, node) {
        // Keras Bidirectional(merge_mode="mul"): the two directions multiplied.
        values[out] = .runtime(view)
      } else if let view = try averaged(a, b, node) {
        values[out] = .runtime(view)
      } else {
        throw unsupported(
          node,
          "only products of shape entries, of the two directions of a bidirectional output (merge mul), and "
            + "their sum times 0.5 (merge ave) are supported")
      }
    case "Reshape":
      switch try value(inputs[0], node) {
      case .dims(let dims):
        // A shape vector reshaped to a vector stays itself.
        if case .constant(let t) = try value(inputs[1], node), t.integers == [-1] || t.integers == [Int64(dims.count)] {
          values[out] = .dims(dims)
        } else {
          values[out] = .shape
        }
        return
      case let shape where Self.isShape(shape):
        values[out] = .shape
        return
      default: break
      }
      var view = try runtime(inputs[0], node)
      guard view.half == nil else { throw unsupported(node, "it reshapes one direction of a bidirectional output") }
      let target: [Dim]
      switch try value(inputs[1], node) {
      case .dims(let dims): target = dims
      case .constant(let tensor): target = tensor.integers.map { Dim(axes: [], factor: $0) }
      default: throw unsupported(node, "its shape must be a constant or computed from known axes")
      }
      func isAxes(_ dim: Dim, _ labels: [Label]) -> Bool {
        dim.factor == 1 && dim.axes.map(resolve) == labels.map(resolve)
      }
      let whole = Dim(axes: [], factor: -1)
      let resolved = view.labels.map(resolve)
      if target.count == 2, resolved.count == 3, resolved[0] == .batch, resolved[1] == .time,
        case .features(let size) = resolved[2], target[1] == Dim(axes: [], factor: Int64(size)),
        target[0] == whole || isAxes(target[0], [.batch, .time])
      {
        // TimeDistributed: [batch, time, features] to rows of features.
        view.labels = [.merged(view.labels[0], view.labels[1]), view.labels[2]]
        values[out] = .runtime(view)
        if let layer = openMatMul[try inputs[0]] { openMatMul[out] = layer }
        return
      }
      let time = xIsTimeFirst == true ? xDims[0] : xDims[1]
      if target.count == 3, resolved.count == 2, case .merged(let outer, let inner) = resolved[0],
        resolve(outer) == .batch, resolve(inner) == .time, case .features(let size) = resolved[1],
        target[2] == Dim(axes: [], factor: Int64(size)),
        target[0] == whole && time.map({ target[1] == Dim(axes: [], factor: Int64($0)) }) == true
          || isAxes(target[0], [.batch]) && isAxes(target[1], [.time])
      {
        // ... and back to [batch, time, features].
        view.labels = [outer, inner, view.labels[1]]
        values[out] = .runtime(view)
        if let layer = openMatMul[try inputs[0]] { openMatMul[out] = layer }
        return
      }
      guard target.count == view.labels.count - 1,
        let k = view.labels.indices.dropLast().first(where: {
          if case .directions = view.labels[$0], case .features = view.labels[$0 + 1] { return true }
          return false
        }), case .directions(let d) = view.labels[k], case .features(let h) = view.labels[k + 1],
        [whole, Dim(axes: [], factor: Int64(d * h))].contains(target[k])
      else { throw unsupported(node, "only merging the directions axis into the features is supported") }
      view.labels.replaceSubrange(k...(k + 1), with: [.features(d * h)])
      values[out] = .runtime(view)
    case "ReduceProd":
      // The product of shape entries (Tensordot's row count).
      let data = try value(inputs[0], node)
      guard Self.isShape(data) else { throw unsupported(node, "only products of shape entries are supported") }
      if case .dims(let dims) = data, dims.allSatisfy({ $0.factor > 0 }), inputs.count == 1,
        let factor = dims.map(\.factor).reduce(
          Int64(1),
          { total, next in
            total.flatMap { $0.multipliedReportingOverflow(by: next).overflow ? nil : $0 * next }
          })
      {
        values[out] = .dims([Dim(axes: dims.flatMap(\.axes), factor: factor)])
      } else {
        values[out] = .shape
      }
    case "ReverseSequence":
      // Reversing every sample over the full length: read by a backward LSTM in processing order.
      var view = try runtime(inputs[0], node)
      let timeAxis = Int(node.attributes["time_axis"]?.int ?? 0)
      let batchAxis = Int(node.attributes["batch_axis"]?.int ?? 1)
      guard case .filled(let label) = try value(inputs[1], node), view.labels.count == 3,
        [timeAxis, batchAxis].sorted() == [0, 1], view.labels[timeAxis] == label, view.reversed == nil
      else { throw unsupported(node, "only reversing whole sequences (lengths = the time axis's size) is supported") }
      view.reversed = label
      values[out] = .runtime(view)
    case "LSTM", "GRU":
      try mapRecurrent(node)
    case "Gemm", "MatMul":
      var input = try runtime(inputs[0], node)
      let oneDirection = try finalStateHalf(&input, node)
      let view = try chainInput(input, node)
      guard case .features(let size)? = view.labels.last.map(resolve) else {
        throw unsupported(node, "its input's last axis is not the features")
      }
      var weights = try constant(inputs[1], node)
      guard weights.dataType.isFloatingPoint else {
        throw unsupported(
          node, "its weights '\(weights.name)' are \(weights.dataType.name); they must be floating point")
      }
      var bias: Tensor?
      if node.opType == "Gemm" {
        guard (node.attributes["alpha"]?.float ?? 1) == 1, (node.attributes["beta"]?.float ?? 1) == 1,
          (node.attributes["transA"]?.int ?? 0) == 0
        else { throw unsupported(node, "only alpha = beta = 1 and transA = 0 are supported") }
        if (node.attributes["transB"]?.int ?? 0) == 0 { weights = Self.transposed(weights) }
        if let biasInput = inputs.optional(2) {
          let c = try constant(biasInput, node)
          guard c.dataType.isFloatingPoint else {
            throw unsupported(node, "its bias '\(c.name)' is \(c.dataType.name); it must be floating point")
          }
          bias = Tensor(shape: [c.floats.count], data: c.floats)
        }
      } else {
        weights = Self.transposed(weights)
      }
      if let oneDirection { weights = Self.zeroPadded(weights, keeping: oneDirection) }
      guard weights.dims.count == 2, weights.dims[1] == size else {
        throw unsupported(node, "weights of shape \(weights.dims) do not fit \(size) features")
      }
      let dense = DenseLayer(
        kernel: Tensor(shape: weights.dims, data: weights.floats), bias: bias, activation: .linear)
      layers.append(
        Layer(name: uniqueName(node), kind: .dense(dense), origin: LayerOrigin(name: name, className: node.opType)))
      var result = view
      result.layer = layers.count - 1
      result.labels[result.labels.count - 1] = .features(weights.dims[0])
      values[out] = .runtime(result)
      if node.opType == "MatMul" { openMatMul[out] = layers.count - 1 }
    case "Add":
      let (a, b) = (try inputs[0], try inputs[1])
      if xIsIndices,
        [a, b].contains(where: {
          if case .runtime(let view)? = values[$0] { view.layer == nil && view.labels == [.x0, .x1] } else { false }
        })
      {
        throw unsupported(
          node,
          "arithmetic on the integer index input is not supported (Keras 3's Embedding wraps negative indices "
            + "this way); an Embedding must read the indices as they are")
      }
      if let view = try mergeHalves(try value(a, node), try value(b, node), .sum, node) {
        // Keras Bidirectional(merge_mode="sum"): the two directions added.
        values[out] = .runtime(view)
        return
      }
      guard let layer = openMatMul[a] ?? openMatMul[b], layer == chainEnd,
        case .dense(var dense) = layers[layer].kind
      else { throw unsupported(node, "only a bias after a MatMul is supported") }
      let biasName = openMatMul[a] != nil ? b : a
      let c = try constant(biasName, node)
      guard c.dataType.isFloatingPoint, c.floats.count == dense.units else {
        throw unsupported(node, "the bias does not fit the MatMul")
      }
      dense.bias = Tensor(shape: [dense.units], data: c.floats)
      reconfigure(layer, .dense(dense), node)
      let source = openMatMul[a] != nil ? a : b
      values[out] = values[source]
    case "Relu", "Sigmoid", "Tanh", "Softmax":
      var view = try chainInput(try runtime(inputs[0], node), node)
      let activation: Activation
      switch node.opType {
      case "Relu": activation = .relu
      case "Sigmoid": activation = .sigmoid
      case "Tanh": activation = .tanh
      default:
        let axis = Int(node.attributes["axis"]?.int ?? -1)
        guard axis == -1 || axis == view.labels.count - 1 else {
          throw unsupported(node, "softmax must be over the last axis")
        }
        activation = .softmax
      }
      layers.append(
        Layer(
          name: uniqueName(node), kind: .activation(activation), origin: LayerOrigin(name: name, className: node.opType)
        ))
      view.layer = layers.count - 1
      values[out] = .runtime(view)
    case "Loop", "Scan", "If":
      throw ONNXImportError.controlFlow(opType: node.opType, node: name)
    default:
      throw ONNXImportError.unsupportedOp(opType: node.opType, node: name, supported: Self.supportedOps)
    }
  }

  /// What a Gather on a weight may be, for its error messages.
  static let embeddingSupport =
    "a Gather on a weight is supported only as an Embedding: axis 0 of a constant 2-D float table, "
    + "indexed by the graph's integer input, as the first layer"

  /// A Gather on a weight as an Embedding: axis 0 of a constant `[vocabulary, dimension]` float table,
  /// indexed by the model's integer input `[x0, x1]`, before any other layer. Returns its output's view.
  mutating func embedding(_ node: ONNXNode, table: ONNXTensor, indices: View) throws -> View {
    let axis = node.attributes["axis"]?.int ?? 0
    guard axis == 0 || axis == -2, table.dims.count == 2, table.dataType.isFloatingPoint, xIsIndices,
      indices.layer == nil, indices.labels == [.x0, .x1], layers.isEmpty
    else {
      let found =
        "axis \(axis) of a \(table.dims.count)-D \(table.dataType.name) table indexed by "
        + (indices.layer == nil && indices.labels == [.x0, .x1] ? "the graph input" : "a computed tensor")
        + (layers.isEmpty ? "" : " after other layers")
      throw unsupported(node, "\(Self.embeddingSupport); found \(found)")
    }
    guard table.dims[0] > 0, table.dims[1] > 0 else { throw unsupported(node, "its table is empty") }
    layers.append(
      Layer(
        name: uniqueName(node),
        kind: .embedding(EmbeddingLayer(table: Tensor(shape: table.dims, data: table.floats), maskZero: false)),
        origin: LayerOrigin(name: node.displayName, className: "Gather")))
    return View(layer: layers.count - 1, port: .output, labels: [.x0, .x1, .features(table.dims[1])])
  }

  func uniqueName(_ node: ONNXNode) -> String {
    let base = node.name.isEmpty ? node.opType.lowercased() : node.name
    return layers.contains { $0.name == base } ? "\(base)_\(layers.count)" : base
  }

  /// Concatenates constants along `axis`.
  static func concatenate(_ tensors: [ONNXTensor], axis: Int, node: ONNXNode, name: String) throws -> ONNXTensor {
    guard !tensors.isEmpty else {
      throw ONNXImportError.invalidNode(node: node.displayName, reason: "Concat has no inputs")
    }
    let rank = tensors[0].dims.count
    let k = axis < 0 ? axis + rank : axis
    guard (0..<rank).contains(k),
      tensors.allSatisfy({
        $0.dims.count == rank && $0.dataType.isFloatingPoint == tensors[0].dataType.isFloatingPoint
          && Array($0.dims[..<k]) == Array(tensors[0].dims[..<k])
          && Array($0.dims[(k + 1)...]) == Array(tensors[0].dims[(k + 1)...])
      })
    else { throw ONNXImportError.invalidNode(node: node.displayName, reason: "Concat inputs do not fit together") }
    let total = tensors.reduce(0) { $0 + $1.elementCount }
    guard total <= ONNXLimits.default.maximumTensorElements else {
      throw ONNXImportError.invalidNode(
        node: node.displayName,
        reason: "Concat of constants would hold \(total) elements; lstmc's limit is "
          + "\(ONNXLimits.default.maximumTensorElements)")
    }
    let outer = tensors[0].dims[..<k].reduce(1, *)
    var result = tensors[0]
    result.name = name
    result.floats = []
    result.integers = []
    for index in 0..<outer {
      for tensor in tensors {
        let chunk = tensor.dims[k...].reduce(1, *)
        if tensor.dataType.isFloatingPoint {
          result.floats += tensor.floats[(index * chunk)..<((index + 1) * chunk)]
        } else {
          result.integers += tensor.integers[(index * chunk)..<((index + 1) * chunk)]
        }
      }
    }
    result.dims[k] = tensors.reduce(0) { $0 + $1.dims[k] }
    return result
  }

  static func transposed(_ tensor: ONNXTensor) -> ONNXTensor {
    guard tensor.dims.count == 2 else { return tensor }
    let (rows, columns) = (tensor.dims[0], tensor.dims[1])
    var result = tensor
    result.dims = [columns, rows]
    result.floats = (0..<(rows * columns)).map { index in
      let (column, row) = (index / rows, index % rows)
      return tensor.floats[row * columns + column]
    }
    return result
  }

  /// An `LSTM` or `GRU` node: the next layer of the chain, its outputs as views.
  mutating func mapRecurrent(_ node: ONNXNode) throws {
    var view = try chainInput(try runtime(ONNXNodeInputs(node)[0], node), node, allowReversed: true)
    let reversedAxis = view.reversed
    view.reversed = nil
    let layout = node.attributes["layout"]?.int ?? 0
    let labels = view.labels
    guard labels.count == 3 else { throw unsupported(node, "X must have rank 3") }
    // Bind the model input's axes on first use.
    let wanted: [Label] = layout == 0 ? [.time, .batch] : [.batch, .time]
    if xIsTimeFirst == nil, labels[0] == .x0 || labels[0] == .x1 {
      xIsTimeFirst = (labels[0] == .x0) == (wanted[0] == .time)
    }
    guard Array(labels.prefix(2)).map(resolve) == wanted else {
      throw unsupported(node, "its X is not laid out as layout \(layout) says")
    }
    var constants: [String: ONNXTensor] = [:]
    var zeros = Set<String>()
    var graphInputs: [ONNXValueInfo] = []
    var slices: [(position: Int, name: String, slice: StateSlice)] = []
    for (position, input) in node.inputs.enumerated().dropFirst() where !input.isEmpty {
      switch try value(input, node) {
      case .constant(let tensor): constants[input] = tensor
      case .zeros: zeros.insert(input)
      case .stateSlice(let slice) where position == 5 || position == 6:
        slices.append((position, input, slice))
      case .runtime(let other) where other.layer == nil && other.labels.isEmpty:
        if let info = file.graph.inputs.first(where: { $0.name == input }) { graphInputs.append(info) }
      default: throw unsupported(node, "input '\(input)' is computed by other nodes")
      }
    }
    var converter = try ONNXRecurrentConverter(
      node: node, opset: file.opset, constants: constants, aliases: [:], graphInputs: graphInputs, zeros: zeros,
      external: Set(slices.map(\.name)), chained: true, layerIndex: layers.count)
    var kind = try converter.layer()
    if let reversedAxis {
      // A forward LSTM or GRU over the reversed sequence walks backward; its output stays in processing order.
      guard var recurrent = kind.singleRecurrent, recurrent.direction == .forward else {
        throw unsupported(node, "only a forward LSTM or GRU can read a time-reversed sequence")
      }
      guard resolve(reversedAxis) == .time else { throw unsupported(node, "its X is reversed along the batch axis") }
      recurrent.direction = .backward
      recurrent.outputOrder = .processing
      kind = ONNXRecurrentConverter.layerKind(recurrent)
    }
    guard case .features(let features) = resolve(labels[2]), features == converter.inputSize else {
      throw unsupported(node, "X has \(labels[2]) but W expects \(converter.inputSize) features")
    }
    extraInputs += converter.extraInputs
    layers.append(
      Layer(name: uniqueName(node), kind: kind, origin: LayerOrigin(name: node.displayName, className: node.opType)))
    let index = layers.count - 1
    let d = converter.directions
    let h = converter.hidden
    for (position, input, slice) in slices {
      // This layer's block of a state input shared by several layers: checked whole in `slicedStateInputs()`.
      let axis = layout == 0 ? 0 : 1
      let hidden = file.graph.inputs.first { $0.name == slice.input }?.shape?.last?.fixed
      guard slice.axis == axis, slice.end - slice.start == d, hidden == h, stateAxis[slice.input] ?? axis == axis
      else {
        throw unsupported(
          node,
          "input '\(input)' is [\(slice.start):\(slice.end)] on axis \(slice.axis) of '\(slice.input)', "
            + "expected \(d) direction(s) of hidden size \(h) on axis \(axis)")
      }
      stateAxis[slice.input] = axis
      stateClaims[slice.input, default: []].append(
        StateClaim(layer: index, start: slice.start, end: slice.end, isCell: position == 6, node: node.displayName))
    }
    let (time, batch): (Label, Label) = layout == 0 ? (.time, .batch) : (.batch, .time)
    view.layer = index
    if node.outputs.count > 0, !node.outputs[0].isEmpty {
      view.labels =
        layout == 0 ? [time, .directions(d), batch, .features(h)] : [time, batch, .directions(d), .features(h)]
      view.port = .output
      values[node.outputs[0]] = .runtime(view)
    }
    let stateLabels: [Label] =
      layout == 0 ? [.directions(d), .batch, .features(h)] : [.batch, .directions(d), .features(h)]
    if node.outputs.count > 1, !node.outputs[1].isEmpty {
      values[node.outputs[1]] = .runtime(View(layer: index, port: .hiddenStates, labels: stateLabels))
    }
    if node.outputs.count > 2, !node.outputs[2].isEmpty {
      values[node.outputs[2]] = .runtime(View(layer: index, port: .cellStates, labels: stateLabels))
    }
  }
}
