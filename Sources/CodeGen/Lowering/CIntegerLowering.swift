import CanonicalModel
import Foundation

/// Lowers a quantized model (``CanonicalModel/Model/quantization``) to integer C: int8 weight
/// tables, int32 biases and multipliers, int8 shifts, the Q0.15 sigmoid and tanh tables, and the
/// statements of `name_step_q` / `name_predict_q`, in the order of the integer reference
/// (`Quantization.IntegerInterpreter`), whose integers the generated code reproduces bit for bit.
///
/// Streaming models (every LSTM and GRU forward) run layer after layer per step, as the float code
/// does; models with a backward or Bidirectional layer run layer after layer over whole sequences in
/// `NAME_MAX_STEPS`-long buffers. Scheme `int16x8_16` decides per matrix whether its sum needs an
/// int64 accumulator (``CIntegerMatrixContext/wide``).
struct CIntegerLowering {
  let lowering: CModelLowering
  let quantized: QuantizedModel
  /// The activation element type's C spelling, width and range (int8 for `int8x8_16`).
  let activationType: String
  let activationBits: Int
  let activationRange: ClosedRange<Int32>

  private(set) var tables: [CWeightTableContext] = []
  /// Leaves out what the rest determines, without changing any integer (issue 12's ≤ 30 % of float):
  /// half of each sigmoid/tanh table (the other half by symmetry, where the literals are symmetric),
  /// and a recurrent bias that is exactly `-z_h Σ_k U_jk` (nothing when `z_h` is 0, else int16 row
  /// sums). C sets it; other generators may keep the full tables and every bias.
  var compactTables = false
  private var lstms: [CIntegerLSTMContext] = []
  private var grus: [CIntegerGRUContext] = []
  private var embedding: CIntegerEmbeddingContext?
  private var denses: [CIntegerDenseContext] = []
  /// Values per row the ping-pong buffers need.
  private var bufferWidth = 0
  private var usesLast = false
  private var usesWideDot = false
  private var lastWidth = 0

  /// Checks that integer code generation supports the model (the scheme and every layer), in one line naming the layer.
  static func check(_ model: Model) throws {
    guard let quantized = model.quantization else { return }
    func refuse(_ layer: Layer?, _ what: String) -> CodeGenError {
      .unsupportedModel("layer '\(layer?.name ?? "")': integer code generation does not support \(what) yet")
    }
    guard quantized.layers.count == model.layers.count else {
      throw CodeGenError.invalidModel(
        "its quantization describes \(quantized.layers.count) layers, it has \(model.layers.count)")
    }
    let startsWithEmbedding: Bool = {
      if case .embedding = model.layers.first?.kind { return true }
      return false
    }()
    let input = model.inputs.first
    guard model.inputs.count == 1,
      startsWithEmbedding
        ? input?.elementType == .int32 && input?.shape.count == 2
        : input?.elementType == .float32 && input?.shape.count == 3
    else {
      throw refuse(
        model.layers.first,
        "an input other than one float32 [batch, time, features] sequence (or int32 [batch, time] indices into a "
          + "first Embedding)")
    }
    for (index, (layer, entry)) in zip(model.layers, quantized.layers).enumerated() {
      switch layer.kind {
      case .lstm, .bidirectional, .gru:
        if case .bidirectional(let bi) = layer.kind, bi.mergeMode != .concat {
          throw refuse(layer, "Bidirectional merge mode \(bi.mergeMode.rawValue) (supported: concat)")
        }
        let directions = layer.kind.recurrentDirections
        guard entry.directions.count == directions.count else {
          throw CodeGenError.invalidModel("layer '\(layer.name)' lacks its quantized directions")
        }
        for recurrent in directions {
          switch recurrent {
          case .lstm(let lstm):
            guard lstm.activations == .standard else {
              throw refuse(
                layer,
                "LSTM activations \(lstm.activations.gate.name)/\(lstm.activations.cell.name)/"
                  + "\(lstm.activations.hidden.name) (supported: sigmoid/tanh/tanh)")
            }
            guard lstm.weights.peepholes.isEmpty, lstm.initialHidden == nil, lstm.initialCell == nil,
              lstm.sequenceLengths == nil
            else { throw refuse(layer, "LSTM peepholes, initial states or sequence lengths") }
          case .gru(let gru):
            guard gru.activations == .standard else {
              throw refuse(
                layer,
                "GRU activations \(gru.activations.gate.name)/\(gru.activations.candidate.name) "
                  + "(supported: sigmoid/tanh)")
            }
            guard gru.initialHidden == nil, gru.sequenceLengths == nil else {
              throw refuse(layer, "GRU initial states or sequence lengths")
            }
          }
        }
        let gates = directions.first?.lstm != nil ? Gate.allCases.map(\.rawValue) : GRUGate.allCases.map(\.rawValue)
        for direction in entry.directions {
          for gate in gates {
            guard let parameters = direction.gates[gate] else {
              throw CodeGenError.invalidModel("layer '\(layer.name)' lacks its quantized \(gate) gate")
            }
            try checkMatrix(parameters.input, layer: layer, scheme: quantized.scheme)
            try checkMatrix(parameters.recurrent, layer: layer, scheme: quantized.scheme)
          }
          guard (0...15).contains(direction.cellFractionBits) else {
            throw CodeGenError.invalidModel(
              "layer '\(layer.name)' has \(direction.cellFractionBits) cell fraction bits")
          }
        }
      case .embedding(let embedding):
        guard index == 0 else { throw refuse(layer, "an Embedding after the first layer") }
        guard !embedding.maskZero else { throw refuse(layer, "Embedding mask_zero (masking)") }
        guard let table = entry.embedding, table.elementType == quantized.scheme.activationType,
          table.shape.count == 2, table.data.count == table.shape[0] * table.shape[1],
          table.shape[0] == embedding.table.shape[0], table.shape[1] == embedding.table.shape[1]
        else {
          throw CodeGenError.invalidModel("layer '\(layer.name)' lacks its quantized table or has the wrong type")
        }
      case .masking: throw refuse(layer, "Masking")
      case .dense(let dense), .timeDistributedDense(let dense):
        guard
          [.linear, .relu].contains(dense.activation) || (dense.activation == .softmax && layer == model.layers.last!)
        else { throw refuse(layer, "activation \(dense.activation.name)") }
        guard let matrix = entry.dense else {
          throw CodeGenError.invalidModel("layer '\(layer.name)' lacks its quantized kernel")
        }
        try checkMatrix(matrix, layer: layer, scheme: quantized.scheme)
      case .activation(let activation):
        guard [.linear, .relu].contains(activation) || (activation == .softmax && layer == model.layers.last!) else {
          throw refuse(layer, "activation \(activation.name)")
        }
      case .lastTimeStep: continue
      }
    }
    for output in model.outputs {
      let layer = model.layers[output.layer]
      guard output.concatenatedLayers == nil else { throw refuse(layer, "an output that concatenates layers") }
      if output.port == .hiddenStates || output.port == .cellStates, layer.kind.recurrentDirections.count > 1 {
        throw refuse(layer, "an output of both directions' states")
      }
    }
  }

  /// What keeps every accumulator exact (the integer reference's bounds): weights within -127...127, at
  /// most 65,536 columns, and for `int8x8_16` a bias within ±2^30 and shifts within -31...30 (int32
  /// accumulator, `multiply`); for `int16x8_16` any int32 bias and shifts within -31...14 (int64
  /// accumulator, `multiplyWide`).
  private static func checkMatrix(_ matrix: QuantizedMatrix, layer: Layer, scheme: QuantizationScheme) throws {
    let wide = scheme == .int16x8_16
    let biasLimit: Int64 = wide ? Int64(Int32.max) : 1 << 30
    let shifts: ClosedRange<Int32> = wide ? -31...14 : -31...30
    guard matrix.weights.data.allSatisfy({ (-127...127).contains($0) }),
      matrix.bias.data.allSatisfy({ abs(Int64($0)) <= biasLimit }), matrix.columns <= 65536,
      matrix.shifts.data.allSatisfy({ shifts.contains($0) }), matrix.multipliers.data.allSatisfy({ $0 >= 0 }),
      matrix.bias.data.count == matrix.rows,
      [1, matrix.rows].contains(matrix.multipliers.data.count),
      matrix.shifts.data.count == matrix.multipliers.data.count
    else {
      throw CodeGenError.invalidModel(
        "layer '\(layer.name)' has quantized weights outside -127...127, a bias beyond ±\(biasLimit), a shift outside "
          + "\(shifts.lowerBound)...\(shifts.upperBound) or tensors of the wrong size, which could overflow an accumulator"
      )
    }
  }

  /// The header's "Layout:" line for integer code, which is the same for every `--target-core`.
  static func layoutSummary(_ quantized: QuantizedModel) -> String {
    let dsp =
      quantized.scheme == .int8x8_16
      ? "four gate rows per pass sharing each input value; __smlad on int8 pairs widened by __sxtb16 "
        + "(a hand-scheduled loop with gcc/clang)"
      : "one dot product per gate row; __smlad / __smlald on int16 pairs (int8 weights widened by __sxtb16)"
    return "integer: int8 weights row-major, \(dsp) where __ARM_FEATURE_DSP "
      + "(Cortex-M4/M7/M33), portable C99 elsewhere, same bits (--target-core does not change integer code)"
  }

  init(lowering: CModelLowering) {
    self.lowering = lowering
    quantized = lowering.model.quantization!
    let type = quantized.scheme.activationType
    activationType = type == .int8 ? "int8_t" : "int16_t"
    activationBits = 8 * type.byteWidth
    activationRange = type.range
  }

  private var prefix: String { lowering.prefix }
  private var model: Model { lowering.model }

  /// The integer context, the state fields and the memory report.
  mutating func lower() -> (context: CIntegerContext, state: CStateContext, memory: CMemoryContext) {
    let halves = compactTables && Self.tablesAreSymmetric
    if model.layers.contains(where: { !$0.kind.recurrentDirections.isEmpty }) {
      // Only recurrent layers use them (an unused static table fails -Werror).
      tables.append(lutTable("sigmoid", FixedPointTables.sigmoid, half: halves))
      tables.append(lutTable("tanh", FixedPointTables.tanh, half: halves))
    }
    for (index, layer) in model.layers.enumerated() { declare(layer, index: index) }
    var step: [CIntegerOperationContext] = []
    var finish: [CIntegerOperationContext] = []
    var sequence: [CIntegerOperationContext] = []
    if lowering.canStream {
      (step, finish) = streamingOperations()
    } else {
      sequence = bufferedOperations()
    }
    let outputs = outputContexts()
    let all = step + finish + sequence
    let context = CIntegerContext(
      scheme: quantized.scheme.rawValue,
      granularity: quantized.granularity == .perTensor ? "per-tensor" : "per-channel",
      activationType: activationType, activationBits: activationBits, activationMin: activationRange.lowerBound,
      activationMax: activationRange.upperBound, inputScale: CLiteral.float(quantized.input.scale),
      inputZero: quantized.input.zeroPoint,
      inputBufferLength: lowering.canStream
        ? "\(lowering.inputSize)" : "\(lowering.macro)_MAX_STEPS * \(lowering.inputSize)",
      sigmoidTable: "\(prefix)_sigmoid_table", tanhTable: "\(prefix)_tanh_table", lstms: lstms, denses: denses,
      usesLSTMStep: !lstms.isEmpty, usesLSTMRun: all.contains { $0.kind == "lstmRun" },
      usesDense: !denses.isEmpty, usesRelu: all.contains { $0.kind == "relu" },
      usesSoftmax: outputs.contains { $0.softmax }, stepOperations: step, finishOperations: finish,
      sequenceOperations: sequence, outputs: outputs,
      outputParameters: outputs.map { "\($0.type) *out\($0.index)" }.joined(separator: ", "),
      bufferArguments: outputs.map { "state->outq_\($0.index)" }.joined(separator: ", "),
      stepOutputArguments: outputs.map { $0.isSequence ? "out\($0.index) + t * \($0.size)" : "out\($0.index)" }
        .joined(separator: ", "),
      hiddenResets: resets(), grus: grus, usesGRUStep: !grus.isEmpty, usesGRURun: all.contains { $0.kind == "gruRun" },
      usesWideDot: usesWideDot,
      wideRequantization: quantized.scheme == .int16x8_16 ? 1 : 0, embedding: embedding,
      inputType: embedding == nil ? "\(prefix)_act_t" : "int32_t", halfTables: halves,
      usesProduct: !lstms.isEmpty || !grus.isEmpty || !denses.isEmpty,
      usesMultiply: !lstms.isEmpty || !grus.isEmpty || (!denses.isEmpty && quantized.scheme == .int8x8_16))
    let state = stateContext(outputs: outputs)
    return (context, state, memory(state))
  }

  // MARK: - Tables

  private mutating func lutTable(_ function: String, _ values: [Int16], half: Bool) -> CWeightTableContext {
    let stored = half ? Array(values[0...256]) : values
    return CWeightTableContext(
      elementType: "int16_t", symbol: "\(prefix)_\(function)_table", length: stored.count,
      lines: lowering.formatsValues ? CLiteral.lines(stored.map { Int32($0) }) : [],
      summary: "\(function)(-8 + k/32) in Q0.15 (Q3.12 input, linear interpolation between entries)"
        + (half ? "; k = 0...256, k > 256 by symmetry" : ""))
  }

  /// Whether the 513-entry tables are symmetric about entry 256, `sigmoid[k] = 32768 - sigmoid[512 - k]`
  /// and `tanh[k] = -tanh[512 - k]`, so that entries 0...256 determine the rest exactly.
  static let tablesAreSymmetric: Bool = (257...512).allSatisfy { k in
    Int32(FixedPointTables.sigmoid[k]) == 32768 - Int32(FixedPointTables.sigmoid[512 - k])
      && FixedPointTables.tanh[k] == -FixedPointTables.tanh[512 - k]
  }

  /// A matrix's tables and descriptor. `inputZero`, for a recurrent `U`, is the hidden zero point: when the
  /// bias is exactly `-inputZero Σ_k U_jk` on every row (an LSTM's, a GRU's update and reset gates') and
  /// ``compactTables`` is set, no int32 bias is stored: nothing when `inputZero` is 0, else the int16 row
  /// sums `Σ_k U_jk` (when they fit), from which the code computes the same bias.
  private mutating func matrix(
    _ matrix: QuantizedMatrix, symbol: String, what: String, inputZero: Int32? = nil
  ) -> CIntegerMatrixContext {
    let values = lowering.formatsValues
    let columns = matrix.columns
    let rowSums = (0..<matrix.rows).map { j in
      matrix.weights.data[(j * columns)..<((j + 1) * columns)].reduce(Int64(0)) { $0 + Int64($1) }
    }
    let offset: Int32? = inputZero.flatMap { zero in
      guard compactTables,
        zip(matrix.bias.data, rowSums).allSatisfy({ bias, sum in Int64(bias) + Int64(zero) * sum == 0 }),
        zero == 0 || rowSums.allSatisfy({ Int64(Int16.min)...Int64(Int16.max) ~= $0 })
      else { return nil }
      return zero
    }
    // int16x8_16: an int32 sum is exact while |bias| + 127 * 32768 * columns < 2^31 (the reference's rule).
    let largestBias = matrix.bias.data.map { abs(Int64($0)) }.max() ?? 0
    let wide = quantized.scheme == .int16x8_16 && largestBias + 127 * 32768 * Int64(matrix.columns) >= 1 << 31
    usesWideDot = usesWideDot || wide
    func table(_ suffix: String, _ type: String, _ data: [Int32], _ summary: String) -> String {
      tables.append(
        CWeightTableContext(
          elementType: type, symbol: "\(symbol)_\(suffix)", length: data.count,
          lines: values ? CLiteral.lines(data) : [], summary: CLiteral.comment("\(what): \(summary)")))
      return "\(symbol)_\(suffix)"
    }
    return CIntegerMatrixContext(
      weights: table(
        "weights", "int8_t", matrix.weights.data, "int8 weights [\(matrix.rows)][\(matrix.columns)], one row per output"
      ),
      bias: offset != nil
        ? "NULL"
        : table(
          "bias", "int32_t", matrix.bias.data,
          quantized.scheme == .int16x8_16
            ? "int32 bias\(wide ? " (int64 accumulator)" : "")" : "int32 bias with the input zero point folded in"),
      multipliers: table(
        "multipliers", "int32_t", matrix.multipliers.data,
        "requantization multipliers (\(matrix.multipliers.data.count == 1 ? "per tensor" : "per row"))"),
      shifts: table("shifts", "int8_t", matrix.shifts.data, "requantization shifts (left when positive)"),
      rows: matrix.rows, columns: matrix.columns, perRow: matrix.multipliers.data.count == 1 ? 0 : 1,
      wide: wide ? 1 : 0,
      offset: offset ?? 0,
      sums: (offset ?? 0) == 0
        ? "NULL"
        : table(
          "sums", "int16_t", rowSums.map { Int32($0) },
          "row sums of the weights: the bias is -\(offset ?? 0) * sums[j] (the hidden zero point folded in)"))
  }

  /// Tables and descriptors of one layer.
  private mutating func declare(_ layer: Layer, index: Int) {
    let entry = quantized.layers[index]
    bufferWidth = max(bufferWidth, lowering.features(of: index))
    switch layer.kind {
    case .lstm, .bidirectional, .gru:
      for (recurrent, direction) in zip(layer.kind.recurrentDirections, entry.directions) {
        guard case .lstm(let lstm) = recurrent else {
          if case .gru(let gru) = recurrent { declare(gru, direction, layer: layer, index: index) }
          continue
        }
        let symbol = CModelLowering.fieldPrefix(layer: index, direction: lstm.direction)
        let name = CLiteral.comment("layer \(index) '\(layer.name)' \(lstm.direction.rawValue)")
        var inputs: [CIntegerMatrixContext] = []
        var recurrents: [CIntegerMatrixContext] = []
        for gate in Gate.allCases {
          let parameters = direction.gates[gate.rawValue]!
          inputs.append(
            matrix(
              parameters.input, symbol: "\(prefix)_\(symbol)_\(gate.rawValue)_W", what: "\(name) \(gate.rawValue) W"))
          recurrents.append(
            matrix(
              parameters.recurrent, symbol: "\(prefix)_\(symbol)_\(gate.rawValue)_U",
              what: "\(name) \(gate.rawValue) U",
              inputZero: entry.output.zeroPoint))
        }
        lstms.append(
          CIntegerLSTMContext(
            symbol: "\(prefix)_\(symbol)", summary: name, inputProducts: inputs, recurrentProducts: recurrents,
            inputSize: lstm.inputSize, hiddenSize: lstm.hiddenSize, hiddenMultiplier: direction.hiddenMultiplier,
            hiddenShift: direction.hiddenShift, hiddenZero: entry.output.zeroPoint,
            cellBits: direction.cellFractionBits, hasClip: direction.gateClip == nil ? 0 : 1,
            clip: direction.gateClip ?? 0, coupled: lstm.coupledInputForget ? 1 : 0))
      }
    case .embedding:
      let table = entry.embedding!
      let symbol = "\(prefix)_l\(index)_table"
      tables.append(
        CWeightTableContext(
          elementType: activationType, symbol: symbol, length: table.data.count,
          lines: lowering.formatsValues ? CLiteral.lines(table.data) : [],
          summary: CLiteral.comment(
            "layer \(index) '\(layer.name)': Embedding table [\(table.shape[0])][\(table.shape[1])], the layer's output codes"
          )))
      embedding = CIntegerEmbeddingContext(table: symbol, vocabulary: table.shape[0], dimension: table.shape[1])
    case .dense, .timeDistributedDense:
      let symbol = "\(prefix)_l\(index)"
      let name = CLiteral.comment("layer \(index) '\(layer.name)' kernel")
      denses.append(
        CIntegerDenseContext(symbol: symbol, summary: name, matrix: matrix(entry.dense!, symbol: symbol, what: name)))
    default: break
    }
  }

  /// Tables and descriptor of one GRU direction.
  private mutating func declare(_ gru: GRULayer, _ direction: QuantizedRecurrentDirection, layer: Layer, index: Int) {
    let symbol = "\(prefix)_" + CModelLowering.fieldPrefix(layer: index, direction: gru.direction)
    let name = CLiteral.comment("layer \(index) '\(layer.name)' \(gru.direction.rawValue)")
    var inputs: [CIntegerMatrixContext] = []
    var recurrents: [CIntegerMatrixContext] = []
    for gate in GRUGate.allCases {
      let parameters = direction.gates[gate.rawValue]!
      inputs.append(
        matrix(parameters.input, symbol: "\(symbol)_\(gate.rawValue)_W", what: "\(name) \(gate.rawValue) W"))
      recurrents.append(
        matrix(
          parameters.recurrent, symbol: "\(symbol)_\(gate.rawValue)_U", what: "\(name) \(gate.rawValue) U",
          inputZero: quantized.layers[index].output.zeroPoint))
    }
    grus.append(
      CIntegerGRUContext(
        symbol: symbol, summary: name, inputProducts: inputs, recurrentProducts: recurrents,
        inputSize: gru.inputSize, hiddenSize: gru.hiddenSize, hiddenMultiplier: direction.hiddenMultiplier,
        hiddenShift: direction.hiddenShift, hiddenZero: quantized.layers[index].output.zeroPoint,
        hasClip: direction.gateClip == nil ? 0 : 1, clip: direction.gateClip ?? 0, resetAfter: gru.resetAfter ? 1 : 0))
  }

  // MARK: - Operations

  /// The ping-pong buffer other than the one `place` names.
  private static func other(_ place: String, _ a: String, _ b: String) -> String { place == a ? b : a }

  /// Streaming: the per-step statements up to the layer that ends the time axis, and the rest.
  private mutating func streamingOperations() -> (step: [CIntegerOperationContext], finish: [CIntegerOperationContext])
  {
    var step: [CIntegerOperationContext] = []
    var finish: [CIntegerOperationContext] = []
    var current = "x"
    var place = "input"
    let (a, b) = ("state->vec_a", "state->vec_b")
    for (index, layer) in model.layers.enumerated() {
      let entry = quantized.layers[index]
      let afterCollapse = lowering.collapse.map { index > $0 } ?? false
      let width = lowering.features(of: index)
      let summary = CLiteral.comment(lowering.summary(of: layer, index: index))
      var operations: [CIntegerOperationContext] = []
      switch layer.kind {
      case .lstm(let lstm):
        let fields = "state->" + CModelLowering.fieldPrefix(layer: index, direction: lstm.direction)
        operations.append(
          CIntegerOperationContext(
            kind: "lstmStep", summary: summary, source: current, target: "\(fields)_h", rows: "1",
            lstm: "\(prefix)_\(CModelLowering.fieldPrefix(layer: index, direction: lstm.direction))",
            hidden: "\(fields)_h", cell: "\(fields)_c"))
        current = "\(fields)_h"
        place = "state"
      case .gru(let gru):
        let fields = CModelLowering.fieldPrefix(layer: index, direction: gru.direction)
        operations.append(
          CIntegerOperationContext(
            kind: "gruStep", summary: summary, source: current, target: "state->\(fields)_h", rows: "1",
            hidden: "state->\(fields)_h", gru: "\(prefix)_\(fields)"))
        current = "state->\(fields)_h"
        place = "state"
      case .embedding:
        let target = Self.other(place, a, b)
        operations.append(
          CIntegerOperationContext(kind: "embed", summary: summary, source: current, target: target, rows: "1"))
        current = target
        place = target
      case .dense(let dense), .timeDistributedDense(let dense):
        let target = Self.other(place, a, b)
        operations.append(
          CIntegerOperationContext(
            kind: "dense", summary: summary, source: current, target: target, rows: "1", matrix: "\(prefix)_l\(index)",
            zero: entry.output.zeroPoint, relu: dense.activation == .relu ? 1 : 0))
        current = target
        place = target
      case .activation(let activation):
        guard activation == .relu else { break }
        let target = Self.other(place, a, b)
        operations.append(
          CIntegerOperationContext(
            kind: "relu", summary: summary, source: current, target: target, rows: "1", width: width,
            zero: entry.output.zeroPoint))
        current = target
        place = target
      case .lastTimeStep:
        usesLast = true
        lastWidth = max(lastWidth, width)
        operations.append(
          CIntegerOperationContext(
            kind: "copy", summary: summary, source: current, target: "state->last", rows: "1", width: width))
        current = "state->last"
        place = "state"
      default: break
      }
      // Layers after the collapse run in the final part, which starts from the collapsed value.
      if afterCollapse { finish += operations } else { step += operations }
      for (k, output) in model.outputs.enumerated() where output.layer == index && output.port == .output {
        let copy = CIntegerOperationContext(
          kind: "copy", summary: CLiteral.comment("output \(k) '\(output.name)'"), source: current, target: "out\(k)",
          rows: "1", width: width)
        if case .vector = lowering.shapes[index] { finish.append(copy) } else { step.append(copy) }
      }
    }
    finish += stateOutputCopies()
    return (step, finish)
  }

  /// Models that buffer: every layer over the whole sequence, then the state outputs.
  private mutating func bufferedOperations() -> [CIntegerOperationContext] {
    var operations: [CIntegerOperationContext] = []
    var current = "x"
    var place = "input"
    var rows = "steps"
    let (a, b) = ("state->seq_a", "state->seq_b")
    for (index, layer) in model.layers.enumerated() {
      let entry = quantized.layers[index]
      let width = lowering.features(of: index)
      let summary = CLiteral.comment(lowering.summary(of: layer, index: index))
      switch layer.kind {
      case .embedding:
        let target = Self.other(place, a, b)
        operations.append(
          CIntegerOperationContext(kind: "embed", summary: summary, source: current, target: target, rows: rows))
        current = target
        place = target
      case .lstm, .bidirectional, .gru:
        let target = Self.other(place, a, b)
        var offset = 0
        var returnsSequences = true
        for recurrent in layer.kind.recurrentDirections {
          guard case .lstm(let lstm) = recurrent else {
            guard case .gru(let gru) = recurrent else { continue }
            let fields = CModelLowering.fieldPrefix(layer: index, direction: gru.direction)
            returnsSequences = gru.returnSequences
            operations.append(
              CIntegerOperationContext(
                kind: "gruRun", summary: summary, source: current,
                target: offset == 0 ? target : "\(target) + \(offset)", rows: rows, hidden: "state->\(fields)_h",
                stride: width, returnSequences: gru.returnSequences ? 1 : 0,
                backward: gru.direction == .backward ? 1 : 0,
                reversedOutput: gru.direction == .backward && gru.outputOrder == .processing ? 1 : 0,
                gru: "\(prefix)_\(fields)"))
            offset += gru.hiddenSize
            continue
          }
          let fields = CModelLowering.fieldPrefix(layer: index, direction: lstm.direction)
          returnsSequences = lstm.returnSequences
          operations.append(
            CIntegerOperationContext(
              kind: "lstmRun", summary: summary, source: current,
              target: offset == 0 ? target : "\(target) + \(offset)", rows: rows, lstm: "\(prefix)_\(fields)",
              hidden: "state->\(fields)_h", cell: "state->\(fields)_c", stride: width,
              returnSequences: lstm.returnSequences ? 1 : 0, backward: lstm.direction == .backward ? 1 : 0,
              reversedOutput: lstm.direction == .backward && lstm.outputOrder == .processing ? 1 : 0))
          offset += lstm.hiddenSize
        }
        current = target
        place = target
        if !returnsSequences { rows = "1" }
      case .dense(let dense), .timeDistributedDense(let dense):
        let target = Self.other(place, a, b)
        operations.append(
          CIntegerOperationContext(
            kind: "dense", summary: summary, source: current, target: target, rows: rows, matrix: "\(prefix)_l\(index)",
            zero: entry.output.zeroPoint, relu: dense.activation == .relu ? 1 : 0))
        current = target
        place = target
      case .activation(let activation):
        guard activation == .relu else { break }
        let target = Self.other(place, a, b)
        operations.append(
          CIntegerOperationContext(
            kind: "relu", summary: summary, source: current, target: target, rows: rows, width: width,
            zero: entry.output.zeroPoint))
        current = target
        place = target
      case .lastTimeStep:
        current = "\(current) + (steps - 1) * \(width)"
        rows = "1"
      default: break
      }
      for (k, output) in model.outputs.enumerated() where output.layer == index && output.port == .output {
        operations.append(
          CIntegerOperationContext(
            kind: "copy", summary: CLiteral.comment("output \(k) '\(output.name)'"), source: current,
            target: "out\(k)", rows: rows, width: width))
      }
    }
    return operations + stateOutputCopies()
  }

  /// Copies of the final h and c that are model outputs.
  private func stateOutputCopies() -> [CIntegerOperationContext] {
    model.outputs.enumerated().compactMap { k, output in
      let layer = model.layers[output.layer]
      let first = layer.kind.recurrentDirections.first?.direction ?? .forward
      let field: String
      let size: Int
      switch output.port {
      case .output: return nil
      case .hiddenState(let direction), .cellState(let direction):
        field =
          CModelLowering.fieldPrefix(layer: output.layer, direction: direction)
          + (output.port == .hiddenState(direction) ? "_h" : "_c")
        size = lowering.hiddenSize(of: layer, direction: direction)
      case .hiddenStates, .cellStates:
        field =
          CModelLowering.fieldPrefix(layer: output.layer, direction: first)
          + (output.port == .hiddenStates ? "_h" : "_c")
        size = lowering.hiddenSize(of: layer, direction: first)
      }
      return CIntegerOperationContext(
        kind: "copy", summary: CLiteral.comment("output \(k) '\(output.name)'"), source: "state->\(field)",
        target: "out\(k)", rows: "1", width: size)
    }
  }

  // MARK: - Outputs, state, memory

  private func outputContexts() -> [CIntegerOutputContext] {
    let softmaxLayer: Int? = {
      switch model.layers.last?.kind {
      case .dense(let dense), .timeDistributedDense(let dense):
        return dense.activation == .softmax ? model.layers.count - 1 : nil
      case .activation(let activation): return activation == .softmax ? model.layers.count - 1 : nil
      default: return nil
      }
    }()
    return model.outputs.enumerated().map { k, output in
      let layer = model.layers[output.layer]
      let entry = quantized.layers[output.layer]
      var size = lowering.features(of: output.layer)
      var isSequence = false
      var cellBits: Int?
      switch output.port {
      case .output:
        if case .sequence = lowering.shapes[output.layer] { isSequence = true }
      case .hiddenState(let direction), .cellState(let direction):
        size = lowering.hiddenSize(of: layer, direction: direction)
        if output.port == .cellState(direction) {
          cellBits = entry.directions.first { $0.direction == direction }?.cellFractionBits ?? 15
        }
      case .hiddenStates, .cellStates:
        let first = layer.kind.recurrentDirections.first?.direction ?? .forward
        size = lowering.hiddenSize(of: layer, direction: first)
        if output.port == .cellStates { cellBits = entry.directions.first?.cellFractionBits ?? 15 }
      }
      let length = isSequence && !lowering.canStream ? "\(lowering.macro)_MAX_STEPS * \(size)" : "\(size)"
      return CIntegerOutputContext(
        index: k, type: cellBits == nil ? "\(prefix)_act_t" : "int16_t", size: size, isSequence: isSequence,
        bufferLength: length, isCell: cellBits != nil, scale: CLiteral.float(entry.output.scale),
        zero: entry.output.zeroPoint, cellStep: CLiteral.float(Float(1) / Float(1 << (cellBits ?? 0))),
        softmax: output.port == .output && output.layer == softmaxLayer)
    }
  }

  private func resets() -> [CIntegerResetContext] {
    model.layers.enumerated().flatMap { index, layer in
      layer.kind.recurrentDirections.map { direction in
        let fields = "state->" + CModelLowering.fieldPrefix(layer: index, direction: direction.direction)
        return CIntegerResetContext(
          hidden: "\(fields)_h", cell: direction.hasCellState ? "\(fields)_c" : "", hasCell: direction.hasCellState,
          size: direction.hiddenSize, zero: quantized.layers[index].output.zeroPoint)
      }
    }
  }

  private func stateContext(outputs: [CIntegerOutputContext]) -> CStateContext {
    var persistent: [CStateFieldContext] = []
    var recurrent: [CRecurrentStateContext] = []
    let act = "\(prefix)_act_t"
    for (index, layer) in model.layers.enumerated() {
      for direction in layer.kind.recurrentDirections {
        let fields = CModelLowering.fieldPrefix(layer: index, direction: direction.direction)
        let name = CLiteral.comment("layer \(index) '\(layer.name)' \(direction.direction.rawValue)")
        let bits =
          quantized.layers[index].directions.first { $0.direction == direction.direction }?.cellFractionBits ?? 15
        persistent.append(
          CStateFieldContext(
            type: act, name: "\(fields)_h", length: String(direction.hiddenSize), summary: "\(name): hidden state h"))
        if direction.hasCellState {
          persistent.append(
            CStateFieldContext(
              type: "int16_t", name: "\(fields)_c", length: String(direction.hiddenSize),
              summary: "\(name): cell state c (Q\(15 - bits).\(bits))"))
        }
        let load = CStateLoadContext(
          field: "\(fields)_h", size: direction.hiddenSize, input: nil, swiftInput: nil, inputOffset: 0, table: nil,
          perSample: false)
        recurrent.append(
          CRecurrentStateContext(
            hiddenField: "\(fields)_h", cellField: direction.hasCellState ? "\(fields)_c" : nil, flagField: "",
            hiddenSize: direction.hiddenSize,
            hiddenLoad: load, cellLoad: nil, loads: [load]))
      }
    }
    if usesLast {
      persistent.append(
        CStateFieldContext(
          type: act, name: "last", length: String(lastWidth), summary: "the last step's value (LastTimeStep)"))
    }
    var scratch: [CStateFieldContext] = []
    let directions = model.layers.flatMap(\.kind.recurrentDirections)
    let gateSize = directions.map { $0.gateCount * $0.hiddenSize }.max() ?? 0
    if gateSize > 0 {
      scratch.append(
        CStateFieldContext(
          type: "int16_t", name: "gates", length: String(gateSize),
          summary: "Q0.15 gate values of the step being computed"))
    }
    let resetSize = directions.compactMap { $0.gru?.hiddenSize }.max() ?? 0
    if resetSize > 0 {
      scratch.append(
        CStateFieldContext(
          type: act, name: "reset_h", length: String(resetSize), summary: "r * h of a GRU step (reset before only)"))
    }
    var buffers: [CStateFieldContext] = []
    let stream = lowering.canStream
    if stream {
      for name in ["vec_a", "vec_b"] {
        scratch.append(
          CStateFieldContext(
            type: act, name: name, length: String(bufferWidth), summary: "one step's values between layers"))
      }
    } else {
      for name in ["seq_a", "seq_b"] {
        buffers.append(
          CStateFieldContext(
            type: act, name: name, length: "\(lowering.macro)_MAX_STEPS * \(bufferWidth)",
            summary: "a whole sequence between layers"))
      }
    }
    let inputLength = stream ? "\(lowering.inputSize)" : "\(lowering.macro)_MAX_STEPS * \(lowering.inputSize)"
    let boundary =
      (embedding == nil
        ? [CStateFieldContext(type: act, name: "xq", length: inputLength, summary: "the float API's quantized input")]
        : [])
      + outputs.map {
        CStateFieldContext(
          type: $0.type, name: "outq_\($0.index)", length: $0.bufferLength,
          summary: "the float API's integer output \($0.index)")
      }
    if stream { scratch += boundary } else { buffers += boundary }
    return CStateContext(
      persistent: persistent, scratch: scratch, buffers: buffers, recurrent: recurrent,
      hasCellState: recurrent.contains { $0.cellField != nil }
    )
  }

  private func memory(_ state: CStateContext) -> CMemoryContext {
    let steps = lowering.options.maxSteps
    func bytes(_ fields: [CStateFieldContext]) -> Int {
      fields.reduce(0) { total, field in
        let width = field.type == "int32_t" ? 4 : field.type == "int16_t" ? 2 : activationBits / 8
        let length =
          field.length.map { text -> Int in
            let parts = text.components(separatedBy: " * ")
            return parts.count == 2 ? steps * (Int(parts[1]) ?? 0) : Int(text) ?? 1
          } ?? 1
        return total + width * length
      }
    }
    let weights = tables.reduce(0) { total, table in
      total + table.length * (table.elementType == "int32_t" ? 4 : table.elementType == "int16_t" ? 2 : 1)
    }
    let persistent = bytes(state.persistent)
    let scratch = bytes(state.scratch)
    let buffers = bytes(state.buffers)
    return CMemoryContext(
      weights: weights, state: persistent, scratch: scratch, buffers: buffers,
      stateStruct: (persistent + scratch + buffers + 3) / 4 * 4, code: lowering.options.codeBytes,
      stack: lowering.options.stackBytes, stepStack: lowering.canStream ? lowering.options.stepStackBytes : nil)
  }
}
