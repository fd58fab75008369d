import CanonicalModel

extension ONNXGraphMapper {
  /// Layer `index` when it is one recurrent direction (an LSTM or a GRU) whose last output is its
  /// final `h`: it walks forward, or walks backward and returns processing order. `nil` for any other
  /// layer (a Bidirectional, a backward layer in input order, a Dense ...).
  func lastOutputIsFinalState(_ index: Int) -> RecurrentLayer? {
    guard let recurrent = layers[index].kind.singleRecurrent,
      recurrent.direction == .forward || recurrent.outputOrder == .processing
    else { return nil }
    return recurrent
  }

  /// Makes layer `index`, one recurrent direction, return its last step only (no return_sequences).
  mutating func returnLastStepOnly(_ index: Int, _ node: ONNXNode) {
    guard var recurrent = layers[index].kind.singleRecurrent, recurrent.returnSequences else { return }
    recurrent.returnSequences = false
    reconfigure(index, ONNXRecurrentConverter.layerKind(recurrent), node)
  }
}

extension ONNXGraphMapper {
  /// Block `position` of several layers' final states concatenated on their directions axis (PyTorch's
  /// `h_n[-1]` of a multi-layer `nn.LSTM` or `nn.GRU`): the final state of the layer owning that block,
  /// or one direction of it (a Bidirectional layer's). The caller removes the axis.
  func stateBlock(_ view: View, blocks: Int, position: Int64, _ node: ONNXNode) throws -> View {
    guard let list = view.concatenated, position >= -Int64(blocks), position < Int64(blocks) else {
      throw unsupported(node, "index \(position) is outside the \(blocks) blocks of the concatenated final states")
    }
    let block = Int(position < 0 ? position + Int64(blocks) : position)
    var start = 0
    for layer in list {
      let count = layers[layer].kind.recurrentDirections.count
      if block < start + count {
        var result = view
        result.layer = layer
        result.concatenated = nil
        if count == 2 { result.half = block == start ? .forward : .backward }
        return result
      }
      start += count
    }
    throw unsupported(node, "block \(block) is not in the concatenated final states")
  }
}

extension ONNXGraphMapper {
  /// Maps `nodes` in order. In a graph without an LSTM or GRU node, a node that cannot be mapped is
  /// most likely part of a recurrence unrolled into primitive ops: its error says so.
  mutating func mapNodes(_ nodes: [ONNXNode]) throws {
    let hasRecurrentNode = nodes.contains { ONNXRecurrentCell(opType: $0.opType) != nil }
    for node in nodes {
      do {
        try map(node)
        stampOutputs(of: node)
      } catch ONNXImportError.unsupportedGraph(let reason) where !hasRecurrentNode {
        throw ONNXImportError.unsupportedGraph(
          "\(reason); the graph has no LSTM or GRU node: lstmc maps recurrences exported as ONNX LSTM and GRU "
            + "nodes, not unrolled into primitive ops (as an nn.GRUCell or nn.LSTMCell stepped in a loop exports)")
      }
    }
  }
}
