import CanonicalModel

extension ONNXGraphMapper {
  /// One time step `[t:t+1]` of a whole sequence, and the per-step ops applied to it since, in order.
  ///
  /// Keras 3's TimeDistributed exports (through tf2onnx) as one Slice, Squeeze, MatMul, Add and Unsqueeze
  /// per time step and a Concat of all steps on the time axis. Ops that act on each row alone (a Dense, an
  /// activation over the features) commute with cutting out a step, so when every step of the sequence comes
  /// back in order with the same ops, the result is those ops applied once to the whole sequence.
  struct StepSlice {
    /// The whole sequence and its value name.
    var base: View
    var baseName: String
    /// The step, `0..<steps`.
    var index: Int
    /// Where the unit time axis is in the step's tensor, or `nil` once squeezed away.
    var timeAxis: Int?
    /// The step tensor's rank.
    var rank: Int
    /// The per-step ops and which of their inputs was the step.
    var ops: [(node: ONNXNode, position: Int)]
  }

  /// The ops that may act on a single time step: they treat each row alone.
  static let stepOps: Set<String> = [
    "MatMul", "Gemm", "Add", "Relu", "Sigmoid", "Tanh", "Softmax", "Squeeze", "Unsqueeze", "Identity",
  ]

  /// The sequence's length when the model input fixes it.
  var fixedSteps: Int? {
    guard let timeFirst = xIsTimeFirst else { return nil }
    return timeFirst ? xDims[0] : xDims[1]
  }

  /// A Slice `[t:t+1]` (step 1) on the time axis of a whole sequence of fixed length, or `nil` for any
  /// other Slice (the caller's rules apply).
  func stepSlice(_ view: View, name: String, _ node: ONNXNode) throws -> StepSlice? {
    let rank = view.labels.count
    guard view.half == nil, view.reversed == nil, view.concatenated == nil, view.port == .output,
      view.layer != nil, let starts = try constantArgument(node, 1, "starts"),
      let ends = try constantArgument(node, 2, "ends"), starts.count == 1, ends.count == 1,
      (try constantArgument(node, 4, "steps") ?? [1]) == [1],
      let rawAxis = (try constantArgument(node, 3, "axes") ?? [0]).first,
      (-rank..<rank).contains(Int(rawAxis)), let steps = fixedSteps
    else { return nil }
    let axis = rawAxis < 0 ? Int(rawAxis) + rank : Int(rawAxis)
    let range = Self.sliceRange(count: steps, start: starts[0], end: ends[0])
    guard resolve(view.labels[axis]) == .time, range.count == 1, starts[0] >= 0 else { return nil }
    return StepSlice(base: view, baseName: name, index: range.lowerBound, timeAxis: axis, rank: rank, ops: [])
  }

  /// Maps `node` when one of its inputs is a single time step: records a per-step op, or (a Concat of every
  /// step in order on the time axis, all with the same ops) applies the ops once to the whole sequence.
  /// Returns `false` when no input is a step.
  mutating func mapStep(_ node: ONNXNode) throws -> Bool {
    let steps = node.inputs.enumerated().compactMap { position, name -> (Int, StepSlice)? in
      guard case .step(let step)? = values[name] else { return nil }
      return (position, step)
    }
    guard let (position, first) = steps.first, let out = node.outputs.first else { return false }
    if node.opType == "Concat" {
      try concatenateSteps(steps.map(\.1), count: node.inputs.count, node, out: out)
      return true
    }
    guard Self.stepOps.contains(node.opType), steps.count == 1 else {
      throw unsupported(
        node,
        "a single time step can only go through per-step Dense layers and activations and then be concatenated "
          + "back with every other step on the time axis")
    }
    var step = first
    func axes() throws -> [Int] {
      if case .ints(let list)? = node.attributes["axes"] { return list.map { Int($0) } }
      guard let name = ONNXNodeInputs(node).optional(1) else { return [] }
      return try constant(name, node).integers.map { Int($0) }
    }
    switch node.opType {
    case "Squeeze":
      guard let time = step.timeAxis, try axes().map({ $0 < 0 ? $0 + step.rank : $0 }) == [time] else {
        throw unsupported(node, "only the unit time axis of a single time step can be squeezed")
      }
      step.timeAxis = nil
      step.rank -= 1
    case "Unsqueeze":
      guard step.timeAxis == nil, let axis = try axes().first, try axes().count == 1 else {
        throw unsupported(node, "only one unit time axis can be put back on a single time step")
      }
      step.timeAxis = axis < 0 ? axis + step.rank + 1 : axis
      step.rank += 1
    default:
      guard node.inputs.indices.allSatisfy({ $0 == position || Self.isConstant(values[node.inputs[$0]]) }) else {
        throw unsupported(node, "a single time step can only be combined with constants")
      }
    }
    step.ops.append((node, position))
    values[out] = .step(step)
    return true
  }

  static func isConstant(_ value: Value?) -> Bool {
    if case .constant? = value { return true }
    return false
  }

  /// Every step `0..<steps` of one sequence, in order, on its time axis, each through the same ops: those ops
  /// applied once to the whole sequence (replayed as nodes on it).
  mutating func concatenateSteps(_ steps: [StepSlice], count: Int, _ node: ONNXNode, out: String) throws {
    guard let first = steps.first, steps.count == count, let total = fixedSteps, steps.count == total,
      steps.enumerated().allSatisfy({ $0.element.index == $0.offset && $0.element.baseName == first.baseName })
    else {
      throw unsupported(node, "it concatenates single time steps that are not every step of one sequence in order")
    }
    let rank = first.rank
    let raw = Int(node.attributes["axis"]?.int ?? 0)
    let axis = raw < 0 ? raw + rank : raw
    guard steps.allSatisfy({ $0.timeAxis == axis && $0.rank == rank }), first.base.labels.count == rank,
      resolve(first.base.labels[axis]) == .time
    else { throw unsupported(node, "it concatenates single time steps on an axis that is not their time axis") }
    for step in steps.dropFirst() {
      guard step.ops.count == first.ops.count,
        try zip(step.ops, first.ops).allSatisfy({ try sameOp($0, $1, node) })
      else { throw unsupported(node, "the time steps it concatenates did not all go through the same ops") }
    }
    try checkCurrent(first.base, first.baseName, "node '\(node.displayName)'")
    var current = first.baseName
    for (k, op) in first.ops.enumerated() where op.node.opType != "Squeeze" && op.node.opType != "Unsqueeze" {
      var inputs = op.node.inputs
      inputs[op.position] = current
      let name = "\(out)#step\(k)"
      let replay = ONNXNode(
        name: op.node.name, opType: op.node.opType, domain: op.node.domain, inputs: inputs, outputs: [name],
        attributes: op.node.attributes)
      try map(replay)
      stampOutputs(of: replay)
      current = name
    }
    values[out] = values[current]
  }

  /// Whether two per-step ops are the same op on the same constants.
  func sameOp(_ a: (node: ONNXNode, position: Int), _ b: (node: ONNXNode, position: Int), _ node: ONNXNode) throws
    -> Bool
  {
    guard a.node.opType == b.node.opType, a.position == b.position, a.node.attributes == b.node.attributes,
      a.node.inputs.count == b.node.inputs.count
    else { return false }
    for index in a.node.inputs.indices where index != a.position {
      let (x, y) = (a.node.inputs[index], b.node.inputs[index])
      guard x != y else { continue }
      guard case .constant(let s)? = values[x], case .constant(let t)? = values[y], s.dims == t.dims,
        s.floats == t.floats, s.integers == t.integers
      else { return false }
    }
    return true
  }
}
