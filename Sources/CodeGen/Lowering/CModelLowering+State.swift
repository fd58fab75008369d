import CanonicalModel

extension CModelLowering {
  /// The fields of `name_state_t`.
  func stateContext(plan: OperationPlan) -> CStateContext {
    var persistent: [CStateFieldContext] = []
    var recurrent: [CRecurrentStateContext] = []
    for (index, layer) in model.layers.enumerated() {
      for direction in layer.kind.recurrentDirections {
        let fields = Self.fieldPrefix(layer: index, direction: direction.direction)
        let name = CLiteral.comment("layer \(index) '\(layer.name)' \(direction.direction.rawValue)")
        let hidden = String(direction.hiddenSize)
        persistent.append(
          CStateFieldContext(type: "float", name: "\(fields)_h", length: hidden, summary: "\(name): hidden state h"))
        if direction.hasCellState {
          persistent.append(
            CStateFieldContext(type: "float", name: "\(fields)_c", length: hidden, summary: "\(name): cell state c"))
        }
        persistent.append(
          CStateFieldContext(
            type: "int32_t", name: "\(fields)_has_output", length: nil,
            summary: "\(name): 1 while the last output is h, 0 while it is zeros (masking)"))
        let hiddenLoad = stateLoad(layer: index, direction: direction, hidden: true)
        let cellLoad = direction.hasCellState ? stateLoad(layer: index, direction: direction, hidden: false) : nil
        recurrent.append(
          CRecurrentStateContext(
            hiddenField: "\(fields)_h", cellField: cellLoad.map { _ in "\(fields)_c" },
            flagField: "\(fields)_has_output",
            hiddenSize: direction.hiddenSize, hiddenLoad: hiddenLoad, cellLoad: cellLoad,
            loads: [hiddenLoad] + (cellLoad.map { [$0] } ?? [])))
      }
    }
    if takesSample {
      persistent.append(
        CStateFieldContext(
          type: "int32_t", name: "sample", length: nil,
          summary: "the sample whose constant initial state and length the last reset chose"))
    }
    var scratch: [CStateFieldContext] = []
    if plan.gateSize > 0 {
      scratch.append(
        CStateFieldContext(
          type: "float", name: "z", length: String(plan.gateSize),
          summary: "gate pre-activations of the recurrent step being computed"))
    }
    if plan.vectorA > 0 {
      scratch.append(
        CStateFieldContext(
          type: "float", name: "vec_a", length: String(plan.vectorA), summary: "one step's values between layers"))
    }
    if plan.vectorB > 0 {
      scratch.append(
        CStateFieldContext(
          type: "float", name: "vec_b", length: String(plan.vectorB), summary: "one step's values between layers"))
    }
    var buffers: [CStateFieldContext] = []
    if plan.sequenceA > 0 {
      buffers.append(
        CStateFieldContext(
          type: "float", name: "seq_a", length: "\(macro)_MAX_STEPS * \(plan.sequenceA)",
          summary: "a whole sequence between layers"))
    }
    if plan.sequenceB > 0 {
      buffers.append(
        CStateFieldContext(
          type: "float", name: "seq_b", length: "\(macro)_MAX_STEPS * \(plan.sequenceB)",
          summary: "a whole sequence between layers"))
    }
    if plan.usesMask && !canStream {
      buffers.append(
        CStateFieldContext(
          type: "unsigned char", name: "mask", length: "\(macro)_MAX_STEPS",
          summary: "per step: 1 where the step is kept, 0 where it is masked"))
    }
    if persistent.isEmpty && scratch.isEmpty && buffers.isEmpty {
      scratch.append(
        CStateFieldContext(
          type: "int32_t", name: "unused", length: nil, summary: "the model keeps no state (C needs one member)"))
    }
    return CStateContext(
      persistent: persistent, scratch: scratch, buffers: buffers, recurrent: recurrent,
      hasCellState: recurrent.contains { $0.cellField != nil })
  }

  /// The memory report.
  func memoryContext(plan: OperationPlan) -> CMemoryContext {
    let tableFloats = tables.reduce(plan.zerosLength) { $0 + $1.length }
    let state = stateContext(plan: plan)
    let steps = canStream ? 0 : options.maxSteps
    let persistent = state.persistent.reduce(0) { $0 + 4 * (Int($1.length ?? "1") ?? 1) }
    let scratch = state.scratch.reduce(0) { $0 + 4 * (Int($1.length ?? "1") ?? 1) }
    let buffers =
      4 * (plan.sequenceA + plan.sequenceB) * steps + (plan.usesMask && !canStream ? steps : 0)
    let total = persistent + scratch + buffers
    return CMemoryContext(
      weights: 4 * tableFloats, state: persistent, scratch: scratch, buffers: buffers, stateStruct: (total + 3) / 4 * 4,
      code: options.codeBytes, stack: options.stackBytes, stepStack: canStream ? options.stepStackBytes : nil)
  }
}
