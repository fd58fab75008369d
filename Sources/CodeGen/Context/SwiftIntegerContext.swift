import CanonicalModel
import Foundation

/// What `templates/swift/integer_model.swift.stencil` needs beyond the shared integer context
/// (``CIntegerContext``, the root key `integer`): the Swift spelling of the same lowering (the root key
/// `swiftInteger`, documented in `templates/README.md`).
///
/// Nothing here decides arithmetic: the statements, tables and constants are ``CIntegerLowering``'s,
/// rendered with Swift types (`Int8`, `Int16`, `Int32`), the state's fields as offsets into two
/// `InlineArray` stores, and C expressions (`state->vec_a`) rewritten for Swift (`state.vec_a`).
struct SwiftIntegerContext: Encodable {
  /// One stored field of the state: a slice of one of the two stores.
  struct Field: Encodable {
    var name: String
    /// `Int8` or `Int16`.
    var type: String
    /// `bytes` (Int8) or `halves` (Int16).
    var store: String
    var offset: Int
    var length: Int
  }

  /// One quantized product (``CIntegerMatrixContext``) with the name of its generated row function.
  struct Matrix: Encodable {
    /// The row function's name: `symbol(j, x)` is row `j` of the product, requantized.
    var symbol: String
    var weights: String
    var bias: String
    var multipliers: String
    var shifts: String
    var columns: Int
    /// `j` (per channel) or `0` (per tensor): the index of the row's multiplier and shift.
    var scaleIndex: String
    /// The lowering's own description, for what the template reads from it directly (a lowering that
    /// derives a bias instead of storing it says so here: `bias` "NULL", `offset`, `sums`).
    var lowered: CIntegerMatrixContext
  }

  /// One gate of an LSTM or GRU direction: its W and U products and where its Q0.15 values go.
  struct Gate: Encodable {
    var name: String
    var input: Matrix
    var recurrent: Matrix
    /// Offset of the gate in the `gates` scratch (`g * H`).
    var offset: Int
    /// The table of its activation: the sigmoid's, or the tanh's for the cell gate.
    var table: String
    /// Whether that table is the tanh's (odd, where the sigmoid's is symmetric about 1/2).
    var odd: Bool
  }

  /// One quantized LSTM direction: the generated `symbol_step` (and `symbol_run` for models that buffer).
  struct LSTM: Encodable {
    var symbol: String
    var summary: String
    var inputSize: Int
    var hiddenSize: Int
    var gates: [Gate]
    var hiddenMultiplier: Int32
    var hiddenShift: Int32
    var hiddenZero: Int32
    var cellBits: Int
    /// `30 - F`: the shift that brings `i * g` (Q0.30) to the cell's Q(15-F).F.
    var addedShift: Int
    /// Offsets of the forget, cell and output gates in the `gates` scratch.
    var forgetOffset: Int
    var cellOffset: Int
    var outputOffset: Int
    /// Whether the layer clips gate pre-activations, and the clip in Q3.12.
    var hasClip: Bool
    var clip: Int32
    var coupled: Bool
    /// The statement turning the Q(15-F).F cell `c[j]` into Q3.12 (`rshr` or a saturating left shift).
    var toQ3_12: String
  }

  /// One quantized GRU direction: the generated `symbol_step` (and `symbol_run` for models that buffer),
  /// ``CIntegerGRUContext`` spelled for Swift.
  struct GRU: Encodable {
    var symbol: String
    var summary: String
    var inputSize: Int
    var hiddenSize: Int
    /// The update and reset gates (sigmoid; `offset` 0 and `H` in the `gates` scratch).
    var gates: [Gate]
    /// The candidate's W and U products (U carries the recurrent bias).
    var candidateInput: Matrix
    var candidateRecurrent: Matrix
    var hiddenMultiplier: Int32
    var hiddenShift: Int32
    var hiddenZero: Int32
    var hasClip: Bool
    var clip: Int32
    /// Whether r multiplies the recurrent product (else h before the product, into `reset_h`).
    var resetAfter: Bool
    /// Offsets of the reset gate and the candidate in the `gates` scratch (`H`, `2H`).
    var resetOffset: Int
    var candidateOffset: Int

  }

  /// One Dense kernel: the generated `symbol_dense`.
  struct Dense: Encodable {
    var symbol: String
    var summary: String
    var matrix: Matrix
    var rows: Int
  }

  /// One output of the integer API.
  struct Output: Encodable {
    var index: Int
    /// `Int8`, or `Int16` for a cell state.
    var type: String
  }

  var fields: [Field]
  var byteCount: Int
  var halfCount: Int
  /// `MemoryLayout<Name.State>.size` before padding.
  var stateBytes: Int
  /// The activation type: `Int8` (`int8x8_16`) or `Int16` (`int16x8_16`).
  var activationType: String
  /// The integer API's input element type: the activation type, or `Int32` for Embedding indices.
  var inputType: String
  /// The float API's: `Float`, or `Int32` for Embedding indices.
  var floatInputType: String
  /// Whether the Embedding table is read by rows (a dimension above 1) rather than by value.
  var embeddingRows = false
  var lstms: [LSTM]
  var grus: [GRU]
  var denses: [Dense]
  /// Every product of the LSTMs, GRUs and Dense layers: one row function each.
  var matrices: [Matrix]
  var outputs: [Output]
  /// `_ out0: UnsafeMutableBufferPointer<Int8>, ...`: the integer API's outputs.
  var outputParameters: String
  /// `_ out0: UnsafeMutablePointer<Int8>, ...` for the internal functions.
  var outputPointerParameters: String
  /// `predict`'s and `predictQ`'s output checks, written so that no `steps` can overflow:
  /// `out0.count / 4 >= steps, let out0 = out0.baseAddress, ...`.
  var predictGuards: String
  /// `state.outq_0, state.outq_1`: the float API's integer outputs as arguments.
  var bufferArguments: String
  var stepOperations: [CIntegerOperationContext]
  var finishOperations: [CIntegerOperationContext]
  var sequenceOperations: [CIntegerOperationContext]
  /// What `reset` sets, with Swift field expressions.
  var hiddenResets: [CIntegerResetContext]

  /// Checks that the Swift templates cover the model. The integer lowering (``CIntegerLowering``)
  /// may accept more than the Swift templates render; those are refused here, in one line naming the
  /// layer, until the templates cover them. Today the templates render every layer kind the lowering
  /// accepts (it refuses Masking itself); the exhaustive switch makes a new layer kind decide here.
  static func check(_ model: Model) throws {
    guard model.quantization != nil else { return }
    for layer in model.layers {
      switch layer.kind {
      case .lstm, .gru, .bidirectional, .embedding, .dense, .timeDistributedDense, .activation, .lastTimeStep,
        .masking:
        continue
      }
    }
  }

  /// - Throws: ``CodeGenError/unsupportedModel(_:)`` for a state field of a type the Swift stores do not hold.
  init(context: CModelContext, integer: CIntegerContext) throws {
    var counts = ["bytes": 0, "halves": 0]
    var fields: [Field] = []
    let act = "\(context.name)_act_t"
    activationType = integer.activationBits == 16 ? "Int16" : "Int8"
    inputType = integer.embedding == nil ? activationType : "Int32"
    floatInputType = integer.embedding == nil ? "Float" : "Int32"
    embeddingRows = (integer.embedding?.dimension ?? 0) > 1
    for field in context.state.persistent + context.state.scratch + context.state.buffers {
      let type = field.type == act ? activationType : "Int16"
      let store = type == "Int16" ? "halves" : "bytes"
      guard field.type == act || field.type == "int16_t" else {
        throw CodeGenError.unsupportedModel(
          "integer Swift generation does not store a state field of type \(field.type) ('\(field.name)') yet")
      }
      let length = SwiftContext.length(field.length, maxSteps: max(1, context.maxSteps))
      fields.append(Field(name: field.name, type: type, store: store, offset: counts[store]!, length: length))
      counts[store]! += length
    }
    self.fields = fields
    byteCount = max(1, counts["bytes"]!)
    halfCount = max(1, counts["halves"]!)
    stateBytes = byteCount + 2 * halfCount

    func matrix(_ m: CIntegerMatrixContext) -> Matrix {
      Matrix(
        symbol: String(m.weights.dropLast("_weights".count)) + "_row", weights: m.weights, bias: m.bias,
        multipliers: m.multipliers, shifts: m.shifts, columns: m.columns, scaleIndex: m.perRow == 1 ? "j" : "0",
        lowered: m)
    }
    lstms = integer.lstms.map { lstm in
      let names = ["input", "forget", "cell", "output"]
      let gates = (0..<4).map { g in
        Gate(
          name: names[g], input: matrix(lstm.inputProducts[g]), recurrent: matrix(lstm.recurrentProducts[g]),
          offset: g * lstm.hiddenSize, table: g == 2 ? integer.tanhTable : integer.sigmoidTable, odd: g == 2)
      }
      let bits = lstm.cellBits
      let toQ3_12 =
        bits > 12
        ? "\(context.name)_rshr(Int32(c[j]), \(bits - 12))"
        : "\(context.name)_sat16(Int32(c[j]) &* \(1 << (12 - bits)))"
      return LSTM(
        symbol: lstm.symbol, summary: lstm.summary, inputSize: lstm.inputSize, hiddenSize: lstm.hiddenSize,
        gates: gates, hiddenMultiplier: lstm.hiddenMultiplier, hiddenShift: lstm.hiddenShift,
        hiddenZero: lstm.hiddenZero, cellBits: bits, addedShift: 30 - bits, forgetOffset: lstm.hiddenSize,
        cellOffset: 2 * lstm.hiddenSize, outputOffset: 3 * lstm.hiddenSize, hasClip: lstm.hasClip == 1,
        clip: lstm.clip, coupled: lstm.coupled == 1, toQ3_12: toQ3_12)
    }
    grus = integer.grus.map { gru in
      let (w, u) = (gru.inputProducts.map(matrix), gru.recurrentProducts.map(matrix))
      return GRU(
        symbol: gru.symbol, summary: gru.summary, inputSize: gru.inputSize, hiddenSize: gru.hiddenSize,
        gates: [
          Gate(name: "update", input: w[0], recurrent: u[0], offset: 0, table: integer.sigmoidTable, odd: false),
          Gate(
            name: "reset", input: w[1], recurrent: u[1], offset: gru.hiddenSize, table: integer.sigmoidTable,
            odd: false),
        ], candidateInput: w[2], candidateRecurrent: u[2], hiddenMultiplier: gru.hiddenMultiplier,
        hiddenShift: gru.hiddenShift,
        hiddenZero: gru.hiddenZero, hasClip: gru.hasClip == 1, clip: gru.clip, resetAfter: gru.resetAfter == 1,
        resetOffset: gru.hiddenSize, candidateOffset: 2 * gru.hiddenSize)
    }
    denses = integer.denses.map {
      Dense(symbol: $0.symbol, summary: $0.summary, matrix: matrix($0.matrix), rows: $0.matrix.rows)
    }
    matrices =
      lstms.flatMap { $0.gates.flatMap { [$0.input, $0.recurrent] } }
      + grus.flatMap { $0.gates.flatMap { [$0.input, $0.recurrent] } + [$0.candidateInput, $0.candidateRecurrent] }
      + denses.map(\.matrix)
    predictGuards = integer.outputs.map { output in
      (output.isSequence
        ? "out\(output.index).count / \(output.size) >= steps" : "out\(output.index).count >= \(output.size)")
        + ", let out\(output.index) = out\(output.index).baseAddress"
    }.joined(separator: ", ")
    outputs = integer.outputs.map { [activationType] in
      Output(index: $0.index, type: $0.isCell ? "Int16" : activationType)
    }
    outputParameters = outputs.map { "_ out\($0.index): UnsafeMutableBufferPointer<\($0.type)>" }
      .joined(separator: ", ")
    outputPointerParameters = outputs.map { "_ out\($0.index): UnsafeMutablePointer<\($0.type)>" }
      .joined(separator: ", ")
    bufferArguments = Self.swift(integer.bufferArguments)
    stepOperations = integer.stepOperations.map(Self.converted)
    finishOperations = integer.finishOperations.map(Self.converted)
    sequenceOperations = integer.sequenceOperations.map(Self.converted)
    hiddenResets = integer.hiddenResets.map { reset in
      var reset = reset
      reset.hidden = Self.swift(reset.hidden)
      reset.cell = Self.swift(reset.cell)
      return reset
    }
  }

  /// A C expression over the state (`state->seq_a + 6`) spelled for Swift (`state.seq_a + 6`).
  static func swift(_ text: String) -> String { text.replacingOccurrences(of: "->", with: ".") }

  static func converted(_ operation: CIntegerOperationContext) -> CIntegerOperationContext {
    var result = operation
    result.source = swift(operation.source)
    result.target = swift(operation.target)
    result.hidden = operation.hidden.map(swift)
    result.cell = operation.cell.map(swift)
    return result
  }
}
