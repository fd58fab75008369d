import CanonicalModel

extension ONNXRecurrentConverter {
  /// The GRU directions of the node: gates from ``ONNXGateLayout/gru``; the update and reset gates
  /// take `Wb + Rb`, the candidate `Wb_h` as `b` and `Rb_h` as its recurrent bias `bU` (never folded:
  /// with `linear_before_reset` 1 it sits inside the reset product, and with 0 ONNX adds it after
  /// `R_h (r ⊙ h)`, which is where the canonical reset-before GRU adds `bU`).
  func gruDirections(_ parameters: ONNXRecurrentParameters) throws -> [RecurrentLayer] {
    let linearBeforeReset = node.attributes["linear_before_reset"]?.int ?? 0
    guard linearBeforeReset == 0 || linearBeforeReset == 1 else {
      throw ONNXImportError.unsupportedAttribute(
        node: name, attribute: "linear_before_reset", value: "\(linearBeforeReset)", supported: "0, 1")
    }
    let (w, r, b) = (parameters.w, parameters.r, parameters.b)
    let gates = ONNXGateLayout.gru.count
    return (0..<directions).map { d in
      func gate(_ gate: GRUGate) -> GateWeights {
        let k = ONNXGateLayout.gru.firstIndex(of: gate)!
        let input = biasBlock(b, direction: d, block: k)
        let recurrent = biasBlock(b, direction: d, block: gates + k)
        return GateWeights(
          W: gateBlock(w, direction: d, gate: k, columns: inputSize),
          U: gateBlock(r, direction: d, gate: k, columns: hidden),
          b: Tensor(shape: [hidden], data: gate == .candidate ? input : zip(input, recurrent).map(+)))
      }
      let candidate = ONNXGateLayout.gru.firstIndex(of: .candidate)!
      let weights = GRUWeights(
        update: gate(.update), reset: gate(.reset), candidate: gate(.candidate),
        candidateRecurrentBias: Tensor(shape: [hidden], data: biasBlock(b, direction: d, block: gates + candidate)))
      let activations = parameters.activations[d]
      return .gru(
        GRULayer(
          inputSize: inputSize, hiddenSize: hidden, direction: walk(d), outputOrder: .input, returnSequences: true,
          weights: weights, activations: GRUActivations(gate: activations[0], candidate: activations[1]),
          resetAfter: linearBeforeReset == 1, usesBias: b != nil, clip: parameters.clip, zeroOutputForMask: true))
    }
  }
}
