/// Computes and checks the shape each layer produces from the shape it receives.
enum ShapeChecker {
  static func output(of layer: Layer, given input: ValueShape) throws -> ValueShape {
    func fail(_ reason: String) -> ModelValidationError {
      .invalidLayer(layer: layer.name, reason: reason)
    }
    switch layer.kind {
    case .lstm, .gru:
      let recurrent = layer.kind.singleRecurrent!
      guard case .sequence(let time, let features) = input else {
        throw fail("\(recurrent.cellName) needs a sequence [batch, time, features], got \(input.description)")
      }
      try check(recurrent, features: features, layer: layer.name)
      return recurrent.returnSequences
        ? .sequence(time: time, features: recurrent.hiddenSize) : .vector(features: recurrent.hiddenSize)
    case .bidirectional(let bi):
      guard case .sequence(let time, let features) = input else {
        throw fail("Bidirectional needs a sequence [batch, time, features], got \(input.description)")
      }
      try check(bi.forward, features: features, layer: layer.name)
      try check(bi.backward, features: features, layer: layer.name)
      guard bi.forward.direction == .forward, bi.backward.direction == .backward else {
        throw fail("a Bidirectional layer needs a forward and a backward \(bi.cellName)")
      }
      guard bi.forward.cellName == bi.backward.cellName else {
        throw fail("both directions must be of one kind, got \(bi.forward.cellName) and \(bi.backward.cellName)")
      }
      guard bi.forward.returnSequences == bi.backward.returnSequences else {
        throw fail("both directions must agree on return_sequences")
      }
      if bi.mergeMode != .concat && bi.forward.hiddenSize != bi.backward.hiddenSize {
        throw fail("merge mode \(bi.mergeMode.rawValue) needs equal hidden sizes")
      }
      return bi.forward.returnSequences
        ? .sequence(time: time, features: bi.outputSize) : .vector(features: bi.outputSize)
    case .dense(let dense), .timeDistributedDense(let dense):
      guard dense.kernel.shape.count == 2, dense.units > 0 else {
        throw fail("kernel has shape \(dense.kernel.shape), expected [units, input]")
      }
      if let bias = dense.bias, bias.shape != [dense.units] {
        throw fail("bias has shape \(bias.shape), expected [\(dense.units)]")
      }
      guard let features = input.features, features == dense.inputSize else {
        throw fail("kernel expects \(dense.inputSize) input features, got \(input.description)")
      }
      if case .timeDistributedDense = layer.kind, case .vector = input {
        throw fail("TimeDistributed needs a sequence, got \(input.description)")
      }
      if case .sequence(let time, _) = input { return .sequence(time: time, features: dense.units) }
      return .vector(features: dense.units)
    case .embedding(let embedding):
      guard case .indices(let time) = input else {
        throw fail("Embedding needs int32 indices [batch, time], got \(input.description)")
      }
      guard embedding.table.shape.count == 2, embedding.vocabularySize > 0, embedding.dimension > 0 else {
        throw fail("table has shape \(embedding.table.shape), expected [vocabulary, dimension]")
      }
      return .sequence(time: time, features: embedding.dimension)
    case .masking:
      guard case .sequence = input else {
        throw fail("Masking needs a sequence [batch, time, features], got \(input.description)")
      }
      return input
    case .lastTimeStep:
      guard case .sequence(_, let features) = input else {
        throw fail("LastTimeStep needs a sequence [batch, time, features], got \(input.description)")
      }
      return .vector(features: features)
    case .activation:
      guard input.features != nil else { throw fail("Activation needs float features, got \(input.description)") }
      return input
    }
  }

  private static func check(_ recurrent: RecurrentLayer, features: Int, layer: String) throws {
    func fail(_ reason: String) -> ModelValidationError { .invalidLayer(layer: layer, reason: reason) }
    let h = recurrent.hiddenSize
    guard h > 0 else { throw fail("hidden size must be positive") }
    guard recurrent.inputSize == features else {
      throw fail("expects \(recurrent.inputSize) input features, gets \(features)")
    }
    let direction = recurrent.direction.rawValue
    func checkGate(_ weights: GateWeights, _ gate: String) throws {
      if weights.W.shape != [h, recurrent.inputSize] {
        throw fail("\(direction).\(gate).W has shape \(weights.W.shape), expected [\(h), \(recurrent.inputSize)]")
      }
      if weights.U.shape != [h, h] {
        throw fail("\(direction).\(gate).U has shape \(weights.U.shape), expected [\(h), \(h)]")
      }
      if weights.b.shape != [h] {
        throw fail("\(direction).\(gate).b has shape \(weights.b.shape), expected [\(h)]")
      }
    }
    switch recurrent {
    case .lstm(let lstm):
      for gate in Gate.allCases { try checkGate(lstm.weights[gate], gate.rawValue) }
      for (gate, peephole) in lstm.weights.peepholes {
        guard gate != .cell else { throw fail("the cell candidate has no peephole") }
        if peephole.shape != [h] {
          throw fail("\(gate.rawValue) peephole has shape \(peephole.shape), expected [\(h)]")
        }
      }
    case .gru(let gru):
      for gate in GRUGate.allCases { try checkGate(gru.weights[gate], gate.rawValue) }
      let bU = gru.weights.candidateRecurrentBias
      if bU.shape != [h] {
        throw fail("\(direction).candidate.bU has shape \(bU.shape), expected [\(h)]")
      }
    }
    if let clip = recurrent.clip, !(clip > 0) { throw fail("clip must be positive, got \(clip)") }
    for (name, state) in [("initial_h", recurrent.initialHidden), ("initial_c", recurrent.initialCell)] {
      if let state, state.shape.count != 2 || state.shape[1] != h {
        throw fail("\(name) has shape \(state.shape), expected [batch, \(h)]")
      }
    }
    if let lengths = recurrent.sequenceLengths {
      guard lengths.shape.count == 1, lengths.data.allSatisfy({ $0 >= 0 && $0 == $0.rounded() }) else {
        throw fail("sequence lengths must be non-negative integers [batch]")
      }
    }
  }
}
