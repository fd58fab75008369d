import CanonicalModel
import Foundation

/// Lowers a canonical model to the C templates' context: weights packed into the generated
/// layouts, every decision about buffers and control flow made here, nothing left to the
/// templates but spelling.
struct CModelLowering {
  let model: Model
  let options: CGenerationOptions
  /// The shape of each layer's main output.
  let shapes: [ValueShape]
  /// The first layer whose output has no time axis (the end of the per-step part), if any.
  let collapse: Int?
  /// Whether every recurrent layer runs forward, so the model can run one step at a time.
  let canStream: Bool
  /// The symbol prefix and the macro prefix.
  let prefix: String
  let macro: String

  var activations: ActivationRegistry
  /// Whether weight tables carry their values (not needed for the memory report alone).
  var formatsValues = true
  /// The weight tables defined so far.
  var tables: [CWeightTableContext] = []

  /// Checks the options and the model and prepares lowering.
  init(model: Model, options: CGenerationOptions) throws {
    try options.validate()
    do {
      shapes = try model.validate()
    } catch let error as ModelValidationError {
      throw CodeGenError.invalidModel(error.description)
    }
    try CIntegerLowering.check(model)
    let sequenceInputs = model.inputs.filter { $0.effectiveRole == .sequence }
    guard sequenceInputs.count == 1 else {
      throw CodeGenError.unsupportedModel(
        "it has \(sequenceInputs.count) data inputs (\(sequenceInputs.map { "'\($0.name)'" }.joined(separator: ", "))); "
          + "generated C takes one input sequence")
    }
    let input = model.inputs[0]
    guard input.shape.count == (input.elementType == .int32 ? 2 : 3) else {
      throw CodeGenError.unsupportedModel(
        "input '\(input.name)' is not a sequence; generated C takes float32 [batch, time, features] "
          + "or int32 [batch, time] indices")
    }
    try Self.rejectUnsupportedCanonicalFeatures(model)
    self.model = model
    self.options = options
    formatsValues = !options.declaresTablesOnly
    collapse = shapes.firstIndex { if case .vector = $0 { return true } else { return false } }
    canStream = CCodeGenerator.canStream(model)
    prefix = options.name
    macro = options.name.uppercased()
    activations = ActivationRegistry(prefix: options.name, vectorizes: true)
  }

  /// The model's input features per step (1 for indices).
  var inputSize: Int {
    if case .sequence(_, let features) = Self.inputShape(of: model) { return features }
    return 1
  }

  static func inputShape(of model: Model) -> ValueShape {
    let input = model.inputs[0]
    if input.elementType == .int32 { return .indices(time: input.shape[1]) }
    return .sequence(time: input.shape[1], features: input.shape[2] ?? 0)
  }

  /// Builds the whole context.
  mutating func lower(testCases: [CTestCase]) throws -> CModelContext {
    var layers: [CLayerContext] = []
    var plan = OperationPlan(lowering: self)
    var stepOperations: [COperationContext] = []
    var sequenceOperations: [COperationContext] = []
    var finishOperations: [COperationContext] = []
    let state: CStateContext
    let memory: CMemoryContext
    var integer: CIntegerContext?
    if model.quantization != nil {
      // Integer inference: the float layers are described, not lowered.
      layers = model.layers.enumerated().map { index, layer in
        CLayerContext(
          index: index, name: CLiteral.comment(layer.name), kind: Self.kindIdentifier(layer.kind),
          kindName: layer.kind.kindName, summary: CLiteral.comment(summary(of: layer, index: index)), directions: [])
      }
      var lowering = CIntegerLowering(lowering: self)
      lowering.compactTables = true
      let lowered = lowering.lower()
      tables = lowering.tables
      (integer, state, memory) = (lowered.context, lowered.state, lowered.memory)
    } else {
      for (index, layer) in model.layers.enumerated() { layers.append(lowerLayer(layer, index: index)) }
      stepOperations = canStream ? plan.stepOperations() : []
      sequenceOperations = canStream ? [] : plan.sequenceOperations()
      finishOperations = plan.finishOperations()
      state = stateContext(plan: plan)
      memory = memoryContext(plan: plan)
    }
    let outputs = outputContexts()
    guard memory.stateStruct <= Int(Int32.max) else {
      throw CodeGenError.stateTooLarge(bytes: memory.stateStruct, maxSteps: options.maxSteps)
    }
    let test = testCases.isEmpty ? nil : try CTestLowering(lowering: self).lower(testCases)
    let input = model.inputs[0]
    let rowBlock =
      layers.contains { $0.directions.contains { !$0.products.rowCalls.isEmpty } }
      ? options.rowBlock ?? 0 : 0
    let extraInputs = extraInputs()
    let resetParameters = resetParameters(extraInputs)
    let resetArguments = (takesSample ? ["sample"] : []) + extraInputs.compactMap(\.parameter)
    let inputNote = Self.fileLayoutNote(input.fileAxes, canonical: input.shape, isSequence: true)
    let embedding: CEmbeddingContext? =
      input.elementType == .int32 ? layers.first?.embedding : nil
    return CModelContext(
      name: prefix, macro: macro,
      files: CFileNamesContext(
        header: "\(prefix).h", source: "\(prefix).c", test: "\(prefix)_test.c", includeGuard: "\(macro)_H"),
      provenance: CProvenanceContext(
        tool: CLiteral.comment("lstmc \(options.toolVersion)".trimmingSpaces()),
        sourceFile: CLiteral.comment(model.source.file), sourceFormat: CLiteral.comment(model.source.format),
        framework: CLiteral.comment(model.source.framework), commandLine: CLiteral.comment(options.commandLine),
        layout: CLiteral.comment(
          model.quantization.map(CIntegerLowering.layoutSummary) ?? options.targetCore.layoutSummary)),
      math: CMathContext(
        mode: options.math.rawValue, isFast: options.math == .fast,
        summary: model.quantization != nil
          ? "integer: fixed point with Q0.15 sigmoid and tanh tables; libm only at the float API's boundary"
          : CLiteral.comment(cMathSummary),
        swiftSummary: options.math == .fast
          ? "fast: lstmc's own sigmoid and tanh approximations (no libm for those); other activations use libm"
          : "exact: libm expf and tanhf, as lstmc's interpreter"),
      input: CInputContext(
        name: CLiteral.comment(input.name), nameLiteral: CLiteral.string(input.name),
        isIndex: input.elementType == .int32, elementType: input.elementType == .int32 ? "int32_t" : "float",
        size: inputSize, shape: CLiteral.comment(Self.inputShape(of: model).description.replacingNilTime(input)),
        fileLayout: inputNote.map(CLiteral.comment)),
      extraInputs: extraInputs, stateInputs: extraInputs.filter { !$0.isLengths },
      sequenceLengths: extraInputs.first { $0.isLengths },
      fixedBatch: takesSample ? Self.fixedBatch(of: model) : 0,
      resetParameters: resetParameters.joined(separator: ", "), resetArguments: resetArguments.joined(separator: ", "),
      outputs: outputs,
      outputParameters: outputs.map { "float *\($0.parameter)" }.joined(separator: ", "),
      outputArguments: outputs.map(\.parameter).joined(separator: ", "),
      outputNullChecks: outputs.map { " || \($0.parameter) == NULL" }.joined(),
      stepOutputArguments: outputs.map { $0.isSequence ? "\($0.parameter) + t * \($0.size)" : $0.parameter }
        .joined(separator: ", "),
      tables: tables, externTables: options.declaresTablesOnly, testTables: test?.tables ?? [],
      layers: layers, canStream: canStream, maxSteps: canStream ? 0 : options.maxSteps, usesMask: plan.usesMask,
      embedding: embedding, state: state, activations: activations.functions,
      helpers: CHelpersContext(
        sigmoid: activations.needsSigmoid, tanh: activations.needsTanh,
        fastExp: options.math == .fast && activations.needsSigmoid,
        cSigmoid: activations.cNeedsSigmoid, cTanh: activations.cNeedsTanh,
        cFastExp: options.math == .fast && activations.cNeedsSigmoid,
        vectorSigmoid: activations.vectorSigmoidSizes, vectorTanh: activations.vectorTanhSizes,
        zerosLength: plan.zerosLength,
        rowBlock: rowBlock, rowLanes: Array(0..<rowBlock), vectorRows: rowBlock > 0 && options.targetCore == .host,
        vectorSums: Array(0..<8),
        seluAlpha: CLiteral.float(1.6732632423543772848170429916717),
        seluScale: CLiteral.float(1.0507009873554804934193349852946),
        geluScale: CLiteral.float(0.7071067811865476), geluTanhScale: CLiteral.float(0.7978845608028654),
        geluCubic: CLiteral.float(0.044715)),
      stepOperations: stepOperations, sequenceOperations: sequenceOperations, finishOperations: finishOperations,
      finishUsesValue: collapse != nil, memory: memory, parameterCount: model.parameterCount, newline: "\n",
      test: test?.context, integer: integer)
  }

  /// The size of one step (or of the whole value) of a layer's main output.
  func features(of layer: Int) -> Int { shapes[layer].features ?? 1 }

  private func outputContexts() -> [COutputContext] {
    model.outputs.enumerated().map { index, output in
      let layer = model.layers[output.layer]
      let size: Int
      let isSequence: Bool
      let summary: String
      let described = "layer \(output.layer) '\(layer.name)' (\(layer.kind.kindName))"
      switch output.port {
      case .output:
        size = features(of: output.layer)
        if case .sequence = shapes[output.layer] { isSequence = true } else { isSequence = false }
        summary = isSequence ? "the output of \(described) at every step" : "the output of \(described)"
      case .hiddenState(let direction), .cellState(let direction):
        size = hiddenSize(of: layer, direction: direction)
        isSequence = false
        let which = output.port == .hiddenState(direction) ? "h" : "c"
        summary = "the final \(which) of \(described), \(direction.rawValue) direction"
      case .hiddenStates, .cellStates:
        let directions = Self.directions(of: layer)
        size = output.layers.reduce(0) { $0 + Self.stateSize(of: model.layers[$1]) }
        isSequence = false
        let which = output.port == .hiddenStates ? "h" : "c"
        if output.layers.count > 1 {
          summary =
            "the final \(which) of layers "
            + output.layers.map { "\($0) '\(model.layers[$0].name)'" }.joined(separator: ", ")
            + ", one block per layer in that order (directions x hidden, forward first)"
        } else {
          summary =
            "the final \(which) of \(described)"
            + (directions.count > 1 ? ", forward direction's \(directions[0].hiddenSize) values first" : "")
        }
      }
      let canonical = (try? model.outputShapes())?[index] ?? []
      let note = Self.fileLayoutNote(output.fileAxes, canonical: canonical, isSequence: isSequence).map {
        "; the source file lays it out as \($0)"
      }
      return COutputContext(
        index: index, name: CLiteral.comment(output.name), nameLiteral: CLiteral.string(output.name), size: size,
        isSequence: isSequence, port: output.port.identifier, layer: output.layer,
        layerName: CLiteral.comment(layer.name), parameter: "out\(index)",
        summary: CLiteral.comment(summary + (note ?? "")))
    }
  }

  func hiddenSize(of layer: Layer, direction: Direction) -> Int {
    Self.directions(of: layer).first { $0.direction == direction }?.hiddenSize ?? 0
  }

  /// The state fields of a recurrent direction.
  static func fieldPrefix(layer: Int, direction: Direction) -> String {
    "l\(layer)_\(direction == .forward ? "fwd" : "bwd")"
  }

  /// What the generated C computes sigmoid and tanh with, for the provenance comment (call after
  /// the layers are lowered: it reads which activation functions they use).
  var cMathSummary: String {
    let fast = options.math == .fast
    let vectorized = !activations.vectorSigmoidSizes.isEmpty || !activations.vectorTanhSizes.isEmpty
    var parts: [String] = []
    if vectorized {
      parts.append(
        "the recurrent layers' sigmoid and tanh are lstmc's own branch-free loops (e^x: Cody-Waite reduction, "
          + "degree-7 polynomial; "
          + (fast
            ? "tanh: a (9, 8) rational fit)"
            : "tanh: the Cephes polynomial below |x| = 0.625, else 1 - 2 / (e^2|x| + 1); within a few ulp of libm)"))
    }
    if activations.cNeedsSigmoid || activations.cNeedsTanh {
      parts.append(
        fast
          ? "other sigmoid and tanh use lstmc's own e^x and rational tanh"
          : "other sigmoid and tanh call libm's expf and tanhf")
    }
    if parts.isEmpty { parts.append("no sigmoid or tanh") }
    return (fast ? "fast: " : "exact: ") + parts.joined(separator: "; ")
      + (fast ? "; no libm for sigmoid and tanh" : "")
  }
}

extension String {
  fileprivate func trimmingSpaces() -> String {
    var text = self
    while text.hasSuffix(" ") { text.removeLast() }
    return text
  }

  /// `[batch, ?, 3]` → `[batch, time, 3]` for the input's free time axis.
  fileprivate func replacingNilTime(_ input: ModelInput) -> String {
    input.shape.count > 1 && input.shape[1] == nil ? replacingOccurrences(of: "?", with: "time") : self
  }
}
