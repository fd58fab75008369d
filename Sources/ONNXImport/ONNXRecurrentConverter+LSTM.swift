import CanonicalModel

extension ONNXRecurrentConverter {
  /// The LSTM directions of the node: gates from ``ONNXGateLayout/packed`` with `b = Wb + Rb`,
  /// peepholes `P` from ``ONNXGateLayout/peepholes`` and `input_forget`.
  func lstmDirections(_ parameters: ONNXRecurrentParameters) throws -> [RecurrentLayer] {
    let p = constant(7)
    if let p, p.dims != [directions, 3 * hidden] {
      throw ONNXImportError.invalidNode(
        node: name, reason: "P has shape \(p.dims), expected [\(directions), \(3 * hidden)]")
    }
    if input(7) != nil && p == nil { throw nonConstant("P", index: 7) }
    if let p { try Self.checkFloat(p, "P", node: name, opType: cell.opType) }
    let inputForget = (node.attributes["input_forget"]?.int ?? 0) != 0
    let (w, r, b) = (parameters.w, parameters.r, parameters.b)
    return (0..<directions).map { d in
      func gate(_ gate: Gate) -> GateWeights {
        let k = ONNXGateLayout.packed.firstIndex(of: gate)!
        let input = biasBlock(b, direction: d, block: k)
        let recurrent = biasBlock(b, direction: d, block: ONNXGateLayout.packed.count + k)
        return GateWeights(
          W: gateBlock(w, direction: d, gate: k, columns: inputSize),
          U: gateBlock(r, direction: d, gate: k, columns: hidden),
          b: Tensor(shape: [hidden], data: zip(input, recurrent).map(+)))
      }
      var weights = LSTMWeights(input: gate(.input), forget: gate(.forget), cell: gate(.cell), output: gate(.output))
      if let p {
        for (k, gate) in ONNXGateLayout.peepholes.enumerated() {
          let start = d * 3 * hidden + k * hidden
          weights.peepholes[gate] = Tensor(shape: [hidden], data: Array(p.floats[start..<(start + hidden)]))
        }
      }
      let activations = parameters.activations[d]
      return .lstm(
        LSTMLayer(
          inputSize: inputSize, hiddenSize: hidden, direction: walk(d), outputOrder: .input, returnSequences: true,
          weights: weights,
          activations: LSTMActivations(gate: activations[0], cell: activations[1], hidden: activations[2]),
          usesBias: b != nil, clip: parameters.clip, coupledInputForget: inputForget, zeroOutputForMask: true))
    }
  }
}
