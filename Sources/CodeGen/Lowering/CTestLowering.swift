import CanonicalModel

/// Checks test cases against the model and lays out the test program's data.
struct CTestLowering {
  let lowering: CModelLowering

  /// The test program's context and its data tables.
  func lower(_ cases: [CTestCase]) throws -> (context: CTestContext, tables: [CWeightTableContext]) {
    let model = lowering.model
    let prefix = lowering.prefix
    let isIndex = model.inputs[0].elementType == .int32
    let inputSize = lowering.inputSize
    let outputs = model.outputs.indices.map { outputLayout($0) }
    var lengths = [Int](repeating: 0, count: outputs.count)
    var contexts: [CTestCaseContext] = []
    var tables: [CWeightTableContext] = []
    let extraInputs = lowering.extraInputs()
    for (position, testCase) in cases.enumerated() {
      var extraTables: [CWeightTableContext] = []
      func fail(_ reason: String) -> CodeGenError { .invalidTestCase(name: testCase.name, reason: reason) }
      guard testCase.inputs.count == model.inputs.count else {
        throw fail("it has \(testCase.inputs.count) inputs, the model takes \(model.inputs.count)")
      }
      let input = testCase.inputs[0]
      let wanted = isIndex ? "[batch, steps]" : "[batch, steps, \(inputSize)]"
      guard input.shape.count == (isIndex ? 2 : 3), isIndex || input.shape[2] == inputSize,
        input.shape[0] >= 1, input.shape[1] >= 1
      else {
        throw fail("input has shape \(input.shape), the model takes \(wanted) with batch and steps of at least 1")
      }
      let batch = input.shape[0]
      let steps = input.shape[1]
      if !lowering.canStream && steps > lowering.options.maxSteps {
        throw fail(
          "it has \(steps) steps, more than --max-steps \(lowering.options.maxSteps) allows for this model "
            + "(it buffers whole sequences); raise --max-steps")
      }
      let fixed = CModelLowering.fixedBatch(of: model)
      if fixed > 1, batch != fixed {
        throw fail("it has batch \(batch), but the model's constant initial states or lengths hold \(fixed) samples")
      }
      var lengthsTable: CTableReference?
      var states: [CTableReference] = []
      for (index, extra) in extraInputs.enumerated() {
        let tensor = testCase.inputs[extra.index]
        let name = model.inputs[extra.index].name
        let wanted = extra.isLengths ? [batch] : [batch, extra.size]
        guard tensor.shape == wanted else {
          throw fail("input '\(name)' has shape \(tensor.shape), the model takes \(wanted)")
        }
        let summary = CLiteral.comment("case \(position): input '\(name)' \(wanted)")
        let symbol = "\(prefix)_test_\(position)_extra_\(index)"
        if extra.isLengths {
          guard tensor.data.allSatisfy({ $0 == $0.rounded() && $0 >= 1 && $0 <= Float(steps) }) else {
            throw fail(
              "input '\(name)' holds \(tensor.data), but generated code needs lengths from 1 to the \(steps) steps")
          }
          let table = CWeightTableContext(
            elementType: "int32_t", symbol: symbol, length: batch, lines: CLiteral.lines(tensor.data.map { Int32($0) }),
            summary: summary)
          extraTables.append(table)
          lengthsTable = table.reference
        } else {
          let table = CWeightTableContext(
            elementType: "float", symbol: symbol, length: tensor.elementCount, lines: CLiteral.lines(tensor.data),
            summary: summary)
          extraTables.append(table)
          states.append(table.reference)
        }
      }
      guard testCase.expected.count == outputs.count else {
        throw fail("it has \(testCase.expected.count) expected outputs, the model has \(outputs.count)")
      }
      var expected: [CTableReference] = []
      for (k, (tensor, layout)) in zip(testCase.expected, outputs).enumerated() {
        let shape = layout.isSequence ? [batch, steps, layout.size] : [batch, layout.size]
        guard tensor.shape == shape else {
          throw fail(
            "expected output \(k) ('\(model.outputs[k].name)') has shape \(tensor.shape), the model computes \(shape)")
        }
        lengths[k] = max(lengths[k], tensor.elementCount)
        let table = CWeightTableContext(
          elementType: "float", symbol: "\(prefix)_test_\(position)_expected_\(k)", length: tensor.elementCount,
          lines: CLiteral.lines(tensor.data),
          summary: CLiteral.comment("case \(position): expected '\(model.outputs[k].name)' \(shape)"))
        tables.append(table)
        expected.append(table.reference)
      }
      let inputLines: [String]
      if isIndex {
        if let bad = input.data.first(where: { $0 != $0.rounded() || Swift.abs($0) > 16_777_216 }) {
          throw fail("input holds \(bad), not an index lstmc accepts (an integer within ±2^24)")
        }
        inputLines = CLiteral.lines(input.data.map { Int32($0) })
      } else {
        inputLines = CLiteral.lines(input.data)
      }
      let inputTable = CWeightTableContext(
        elementType: isIndex ? "int32_t" : "float", symbol: "\(prefix)_test_\(position)_input",
        length: input.elementCount, lines: inputLines,
        summary: CLiteral.comment("case \(position) '\(testCase.name)': inputs \(input.shape)"))
      tables.insert(contentsOf: [inputTable] + extraTables, at: tables.count - expected.count)
      contexts.append(
        CTestCaseContext(
          index: position, name: CLiteral.comment(testCase.name), nameLiteral: CLiteral.string(testCase.name),
          batch: batch, steps: steps, input: inputTable.reference, lengths: lengthsTable, stateInputs: states,
          expected: expected,
          absTolerance: CLiteral.double(testCase.tolerance.abs), relTolerance: CLiteral.double(testCase.tolerance.rel)))
    }
    let context = CTestContext(
      cases: contexts,
      buffers: lengths.enumerated().map {
        CTestBufferContext(output: $0.offset, symbol: "\(prefix)_test_actual_\($0.offset)", length: $0.element)
      },
      streaming: lowering.canStream, hasLengths: extraInputs.contains { $0.isLengths },
      stateInputCount: extraInputs.filter { !$0.isLengths }.count,
      resetArguments: ((lowering.takesSample ? ["b"] : [])
        + extraInputs.filter { !$0.isLengths }.enumerated().map { "c->initial[\($0.offset)] + b * \($0.element.size)" })
        .joined(separator: ", "))
    return (context, tables)
  }

  /// Whether output `index` is a sequence, and its size per step.
  private func outputLayout(_ index: Int) -> (isSequence: Bool, size: Int) {
    let output = lowering.model.outputs[index]
    switch output.port {
    case .output:
      if case .sequence = lowering.shapes[output.layer] { return (true, lowering.features(of: output.layer)) }
      return (false, lowering.features(of: output.layer))
    case .hiddenState(let direction), .cellState(let direction):
      return (false, lowering.hiddenSize(of: lowering.model.layers[output.layer], direction: direction))
    case .hiddenStates, .cellStates:
      return (false, output.layers.reduce(0) { $0 + CModelLowering.stateSize(of: lowering.model.layers[$1]) })
    }
  }
}
