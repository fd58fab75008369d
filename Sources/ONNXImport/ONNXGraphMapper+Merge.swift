import CanonicalModel

extension ONNXGraphMapper {
  /// Replaces layer `index`'s kind after a later node changed what its output computes (merge mode,
  /// return_sequences, bias): views of its output made before now read something that no longer exists.
  mutating func reconfigure(_ index: Int, _ kind: LayerKind, _ node: ONNXNode) {
    layers[index].kind = kind
    versions[index, default: 0] += 1
    changedBy[index] = node.displayName
  }

  /// Refuses `view` (input `name` of `reader`, "node 'x'" or "graph output 'y'") when it reads a layer's output as it was before a later
  /// node changed it. Final states are not affected: no change lstmc makes alters them.
  func checkCurrent(_ view: View, _ name: String, _ reader: String) throws {
    guard let layer = view.layer, view.port == .output, view.version != versions[layer, default: 0] else { return }
    throw ONNXImportError.unsupportedGraph(
      "\(reader) reads '\(name)', the output of layer '\(layers[layer].name)' before node "
        + "'\(changedBy[layer] ?? "?")' changed what that layer returns; lstmc maps each layer's output one way "
        + "only (one merge mode, whole sequence or last step)")
  }

  /// Marks the runtime views `node` wrote as reading the current version of their layers.
  mutating func stampOutputs(of node: ONNXNode) {
    for output in node.outputs where !output.isEmpty {
      guard case .runtime(var view)? = values[output], let layer = view.layer else { continue }
      view.version = versions[layer, default: 0]
      values[output] = .runtime(view)
    }
  }

  /// Two halves of one bidirectional layer's output (each one direction, both the whole sequence or both
  /// the step each direction processes last) recombined: elementwise (`sum`, `mul`) or on their features
  /// axis (`concat`, forward first, `axis` the Concat's). The layer then merges its directions that way
  /// and returns what the halves were (whole sequences or the last steps). `nil` when `a` and `b` are not
  /// two halves of one layer's output.
  mutating func mergeHalves(_ a: Value, _ b: Value, _ mode: MergeMode, _ node: ONNXNode, axis: Int? = nil) throws
    -> View?
  {
    guard case .runtime(let first) = a, case .runtime(let second) = b, let h1 = first.half, let h2 = second.half,
      let layer = first.layer, second.layer == layer, first.port == .output, second.port == .output,
      case .bidirectional(var bi) = layers[layer].kind
    else { return nil }
    guard h1 != h2 else { throw unsupported(node, "it combines a direction of a bidirectional output with itself") }
    guard layer == chainEnd else {
      throw unsupported(node, "it combines the directions of layer '\(layers[layer].name)' after later layers")
    }
    guard first.halfIsLast == second.halfIsLast else {
      throw unsupported(node, "it combines one direction's whole sequence with the other's last step")
    }
    let labels = first.labels.map(resolve)
    guard labels == second.labels.map(resolve), case .features(let size)? = labels.last else {
      throw unsupported(node, "the two directions it combines are not laid out alike")
    }
    var view = first
    if mode == .concat {
      let rank = labels.count
      guard let axis, axis == rank - 1 || axis == -1 else {
        throw unsupported(node, "the two directions of a bidirectional output can only be concatenated on the features")
      }
      guard h1 == .forward else {
        throw unsupported(node, "it puts the backward direction first; Bidirectional concatenates forward first")
      }
      view.labels[rank - 1] = .features(2 * size)
    }
    bi.mergeMode = mode
    bi.forward.returnSequences = !first.halfIsLast
    bi.backward.returnSequences = !first.halfIsLast
    reconfigure(layer, .bidirectional(bi), node)
    view.half = nil
    view.halfIsLast = false
    return view
  }

  /// The two directions' sum times 0.5 (Keras Bidirectional's merge mode `ave`, which tf2onnx writes as
  /// an Add and a Mul by 0.5): the layer averages instead. `nil` when `a` and `b` are not such a sum and
  /// a scalar 0.5.
  mutating func averaged(_ a: Value, _ b: Value, _ node: ONNXNode) throws -> View? {
    let (sum, scale): (Value, Value)
    if case .constant = a { (sum, scale) = (b, a) } else { (sum, scale) = (a, b) }
    guard case .runtime(let view) = sum, case .constant(let factor) = scale, let layer = view.layer,
      view.port == .output, view.half == nil, layer == chainEnd, case .bidirectional(var bi) = layers[layer].kind,
      bi.mergeMode == .sum, changedBy[layer] != nil, factor.dataType.isFloatingPoint, factor.floats == [0.5]
    else { return nil }
    bi.mergeMode = .ave
    reconfigure(layer, .bidirectional(bi), node)
    return view
  }
}

extension ONNXGraphMapper {
  /// One direction's final h of the last (bidirectional) layer, `[batch, hidden]`, read by a Gemm or MatMul
  /// (PyTorch's `h_n[-1]` of a bidirectional `nn.LSTM`): `view` becomes both directions' final h
  /// (the layer's last steps, concatenated, forward first) and the result says which half the weights
  /// read; the other half gets zero weights. `nil` (and `view` unchanged) for any other view.
  func finalStateHalf(_ view: inout View, _ node: ONNXNode) throws -> Direction? {
    guard let half = view.half, view.port == .hiddenStates, let layer = view.layer,
      case .bidirectional(let bi) = layers[layer].kind
    else { return nil }
    let hidden = bi.forward.hiddenSize
    guard view.labels.map(resolve) == [.batch, .features(hidden)] else {
      throw unsupported(node, "one direction's final state must be [batch, hidden] to feed a Gemm or MatMul")
    }
    view.half = nil
    view.labels = [view.labels[0], .features(2 * hidden)]
    return half
  }

  /// A `[units, n]` kernel widened to `[units, 2n]` over both directions' features (forward first), zero on
  /// the direction other than `keeping`.
  static func zeroPadded(_ weights: ONNXTensor, keeping: Direction) -> ONNXTensor {
    guard weights.dims.count == 2 else { return weights }
    let (units, width) = (weights.dims[0], weights.dims[1])
    var result = weights
    result.dims = [units, 2 * width]
    result.floats = []
    let zeros = [Float](repeating: 0, count: width)
    for row in 0..<units {
      let values = Array(weights.floats[(row * width)..<((row + 1) * width)])
      result.floats += keeping == .forward ? values + zeros : zeros + values
    }
    return result
  }
}
