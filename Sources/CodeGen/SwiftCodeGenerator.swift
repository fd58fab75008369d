import CanonicalModel
import Foundation

/// Generates dependency-free Swift (ordinary or Embedded Swift) for a canonical model.
///
/// It lowers the model exactly as ``CCodeGenerator`` does (the same ``CModelLowering``, the same
/// operations, state fields and tables) and adds what Swift needs on top (``SwiftContext``): the
/// type name, the state fields as offsets into three `InlineArray` stores, and every table split
/// into `InlineArray` chunks of at most ``chunkLimit`` values (one literal per global `let`; see
/// `templates/README.md` for the measured compile times that chose this).
///
/// ```swift
/// let files = try SwiftCodeGenerator.generate(model, testCases: [], options: CGenerationOptions(name: "kws"))
/// // kws.swift (public struct Kws)
/// ```
public enum SwiftCodeGenerator {
  static let sourceTemplate = "model.swift.stencil"
  static let testTemplate = "main.swift.stencil"
  /// The model file of a quantized model's integer inference (the test program is the same).
  static let integerSourceTemplate = "integer_model.swift.stencil"
  /// The most values one `InlineArray` literal holds.
  static let chunkLimit = 1024

  /// `NAME.swift` and, when `testCases` is not empty, `main.swift`.
  ///
  /// - Throws: ``CodeGenError`` as ``CCodeGenerator/generate(_:testCases:options:)`` does.
  public static func generate(_ model: Model, testCases: [CTestCase], options: CGenerationOptions) throws
    -> [GeneratedFile]
  {
    try SwiftIntegerContext.check(model)
    var lowering = try CModelLowering(model: model, options: options.withAxpyLayout)
    var context = try lowering.lower(testCases: testCases)
    var swift = SwiftContext(context: context, model: model, maxSteps: options.maxSteps)
    var source = sourceTemplate
    var integer: SwiftIntegerContext?
    if let lowered = context.integer {
      // Integer inference: the same integer lowering as C, spelled by the integer template.
      integer = try SwiftIntegerContext(context: context, integer: lowered)
      swift.tables = integerTables(context)
      swift.stateBytes = integer!.stateBytes
      context.math.swiftSummary = context.math.summary
      source = integerSourceTemplate
    }
    context.stepOperations = context.stepOperations.map(SwiftContext.converted)
    context.sequenceOperations = context.sequenceOperations.map(SwiftContext.converted)
    context.finishOperations = context.finishOperations.map(SwiftContext.converted)
    context.tables = []
    context.testTables = []
    var dictionary = try ContextEncoding.dictionary(context).mapValues(SwiftContext.swiftLiterals)
    dictionary["swift"] = try ContextEncoding.dictionary(swift)
    if let integer { dictionary["swiftInteger"] = try ContextEncoding.dictionary(integer) }
    let renderer = try TemplateRenderer(userFolder: options.templatesDirectory, language: "swift")
    var jobs = [("\(options.name).swift", source)]
    if !testCases.isEmpty { jobs.append(("main.swift", testTemplate)) }
    return try jobs.map { file, template in
      dictionary["currentFile"] = file
      return GeneratedFile(name: file, contents: try renderer.render(template, context: dictionary))
    }
  }

  /// The bytes of the generated type's `State` (its three `InlineArray` stores, before padding).
  public static func stateBytes(for model: Model, options: CGenerationOptions) throws -> Int {
    try SwiftIntegerContext.check(model)
    var lowering = try CModelLowering(model: model, options: options.withAxpyLayout)
    lowering.formatsValues = false
    let context = try lowering.lower(testCases: [])
    if let integer = context.integer { return try SwiftIntegerContext(context: context, integer: integer).stateBytes }
    return SwiftContext(context: context, model: model, maxSteps: options.maxSteps).stateBytes
  }

  /// The integer tables as `InlineArray` chunks: a weight table in rows of its columns, every other
  /// table (biases, multipliers, shifts, the sigmoid and tanh tables) in rows of one value.
  static func integerTables(_ context: CModelContext) -> [SwiftContext.Table] {
    guard let integer = context.integer else { return [] }
    let matrices =
      integer.lstms.flatMap { $0.inputProducts + $0.recurrentProducts }
      + integer.grus.flatMap { $0.inputProducts + $0.recurrentProducts } + integer.denses.map(\.matrix)
    var columns = Dictionary(matrices.map { ($0.weights, $0.columns) }, uniquingKeysWith: { first, _ in first })
    if let embedding = integer.embedding { columns[embedding.table] = embedding.dimension }
    return context.tables.map { SwiftContext.table($0, rowLength: columns[$0.symbol] ?? 1) }
  }

  /// The Swift type name for a C-style name: `k2_basic` becomes `K2Basic`, `kws` becomes `Kws`.
  public static func typeName(_ name: String) -> String {
    name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
  }
}

/// What the Swift templates need beyond the shared C context (the root key `swift`).
struct SwiftContext: Encodable {
  /// One stored field of the state: a slice of one of the three stores.
  struct Field: Encodable {
    var name: String
    /// `Float`, `Int32` or `UInt8`.
    var type: String
    /// `floats`, `ints` or `bytes`.
    var store: String
    var offset: Int
    var length: Int
  }

  /// A table split into `InlineArray` chunks; the accessor `symbol(row) { pointer in ... }` hands out row `row`.
  struct Table: Encodable {
    struct Chunk: Encodable {
      var index: Int
      var length: Int
      var lines: [String]
    }
    var symbol: String
    var elementType: String
    var summary: String
    var length: Int
    /// Values per row.
    var rowLength: Int
    /// Whole rows per chunk.
    var rowsPerChunk: Int
    var chunks: [Chunk]
  }

  /// One expected output of a test case.
  struct Expected: Encodable {
    var output: Int
    var symbol: String
    /// Values over the whole batch.
    var total: Int
    /// The output's name as a string literal.
    var nameLiteral: String
  }

  /// An initial-state input: a parameter of `reset` and `predict`.
  struct StateInput: Encodable {
    /// The Swift parameter, e.g. `initialH0` (C: `initial_h0`).
    var parameter: String
    /// Values per sample.
    var size: Int
    /// Its position among the state inputs (`testInitial<position>` in the test program).
    var position: Int
    /// What it holds (comment-safe).
    var summary: String
  }

  /// A test case's expected outputs (the rest is in the shared `test.cases`).
  struct TestCase: Encodable {
    var index: Int
    var name: String
    var nameLiteral: String
    var batch: Int
    var steps: Int
    var inputSymbol: String
    /// The lengths table's accessor, when the model takes lengths.
    var lengthsSymbol: String?
    /// `, { table_a($0) }, { table_b($0) }`: the initial-state tables' accessors as trailing arguments.
    var stateArguments: String
    var absTolerance: String
    var relTolerance: String
    var expected: [Expected]
  }

  /// The public type, e.g. `K2Basic`.
  var typeName: String
  /// `Float` or `Int32`.
  var inputType: String
  var fields: [Field]
  var floatCount: Int
  var intCount: Int
  var byteCount: Int
  var tables: [Table]
  var testTables: [Table]
  /// `_ out0: UnsafeMutableBufferPointer<Float>, _ out1: ...`.
  var outputParameters: String
  /// `out0: UnsafeMutablePointer<Float>, ...` for the internal functions.
  var outputPointerParameters: String
  /// Length of the embedding scratch row used by `step` (0: none).
  var embeddingRow: Int
  /// Per test case, its expected outputs.
  var testCases: [TestCase]
  /// The test program's input buffer: the longest sample's values.
  var testInputLength: Int
  /// `MemoryLayout<Name.State>.size`.
  var stateBytes: Int
  /// `step`'s and `predict`'s buffer checks after the input's, e.g. `out0.count >= 4, let out0 = out0.baseAddress`.
  var stepGuards: String
  var predictGuards: String
  /// The initial-state inputs, in the model's order.
  var stateInputs: [StateInput]
  /// `sample: Int, initialH0: UnsafeBufferPointer<Float>?`: `reset`'s parameters (also `predict`'s after
  /// `steps`); empty for none.
  var resetParameters: String
  /// `sample: sample, initialH0: initialH0`: the same as arguments.
  var resetArguments: String
  /// `, _ lengths: (Int) -> Int32, _ initial0: (Int) -> Float`: the test program's per-case accessors of
  /// the extra inputs, after the input's.
  var extraInputParameters: String
  /// `reset`'s checks: `sample >= 0, sample < 2, (initialH0?.count ?? 8) >= 8`; empty for none.
  var resetGuards: String
  /// `out0, out1`: the output pointers as arguments.
  var outputBases: String
  /// `out0 + t * 5, out1`: `predict`'s outputs at step `t` (streaming models).
  var stepOutputBases: String

  init(context: CModelContext, model: Model, maxSteps: Int) {
    typeName = SwiftCodeGenerator.typeName(context.name)
    inputType = context.input.isIndex ? "Int32" : "Float"
    var counts = ["floats": 0, "ints": 0, "bytes": 0]
    var fields: [Field] = []
    func add(_ name: String, _ cType: String, _ length: Int) {
      let (type, store) =
        cType == "float" ? ("Float", "floats") : cType == "int32_t" ? ("Int32", "ints") : ("UInt8", "bytes")
      fields.append(Field(name: name, type: type, store: store, offset: counts[store]!, length: length))
      counts[store]! += length
    }
    let state = context.state
    for field in state.persistent + state.scratch + state.buffers where field.name != "unused" {
      add(field.name, field.type, Self.length(field.length, maxSteps: maxSteps))
    }
    add("zeros", "float", max(1, context.helpers.zerosLength))
    embeddingRow = context.canStream ? (context.layers.first?.embedding?.dimension ?? 0) : 0
    if embeddingRow > 0 { add("emb", "float", embeddingRow) }
    self.fields = fields
    floatCount = max(1, counts["floats"]!)
    intCount = max(1, counts["ints"]!)
    byteCount = max(1, counts["bytes"]!)

    var rowLengths: [String: Int] = [:]
    for layer in context.layers {
      for direction in layer.directions {
        rowLengths[direction.products.kernel.symbol] = direction.products.rowLength
      }
      if let dense = layer.dense { rowLengths[dense.kernel.symbol] = dense.units }
      if let embedding = layer.embedding { rowLengths[embedding.table.symbol] = embedding.dimension }
    }
    for layer in context.layers {
      for direction in layer.directions {
        for which in ["h", "c"] { rowLengths["\(direction.symbol)_initial_\(which)"] = direction.hiddenSize }
        rowLengths["\(direction.symbol)_lengths"] = 1
      }
    }
    tables = context.tables.map { Self.table($0, rowLength: rowLengths[$0.symbol] ?? $0.length) }
    stateInputs = context.stateInputs.enumerated().map { position, input in
      StateInput(
        parameter: Self.camelCase(input.parameter ?? ""), size: input.size, position: position, summary: input.summary)
    }
    extraInputParameters =
      (context.sequenceLengths == nil ? "" : ", _ lengths: (Int) -> Int32")
      + stateInputs.map { ", _ initial\($0.position): (Int) -> Float" }.joined()
    let sample = context.fixedBatch > 0
    resetParameters =
      ((sample ? ["sample: Int"] : []) + stateInputs.map { "\($0.parameter): UnsafeBufferPointer<Float>?" })
      .joined(separator: ", ")
    resetArguments =
      ((sample ? ["sample: sample"] : []) + stateInputs.map { "\($0.parameter): \($0.parameter)" })
      .joined(separator: ", ")
    resetGuards =
      ((sample ? ["sample >= 0", "sample < \(context.fixedBatch)"] : [])
      + stateInputs.map { "(\($0.parameter)?.count ?? \($0.size)) >= \($0.size)" }).joined(separator: ", ")
    testTables = context.testTables.map { Self.table($0, rowLength: 1) }
    outputParameters = context.outputs.map { "_ \($0.parameter): UnsafeMutableBufferPointer<Float>" }
      .joined(separator: ", ")
    let outputs = context.outputs
    testCases = (context.test?.cases ?? []).map { testCase in
      TestCase(
        index: testCase.index, name: testCase.name, nameLiteral: testCase.nameLiteral, batch: testCase.batch,
        steps: testCase.steps, inputSymbol: testCase.input.symbol, lengthsSymbol: testCase.lengths?.symbol,
        stateArguments: testCase.stateInputs.map { ", { \($0.symbol)($0) }" }.joined(),
        absTolerance: testCase.absTolerance,
        relTolerance: testCase.relTolerance,
        expected: testCase.expected.enumerated().map { index, table in
          let output = outputs[index]
          return Expected(
            output: index, symbol: table.symbol,
            total: testCase.batch * (output.isSequence ? testCase.steps : 1) * output.size,
            nameLiteral: output.nameLiteral)
        })
    }
    testInputLength = max(1, (context.test?.cases ?? []).map { $0.steps * context.input.size }.max() ?? 1)
    stateBytes = 4 * floatCount + 4 * intCount + byteCount
    let inputSize = context.input.size
    stepGuards =
      (["input.count >= \(inputSize)"]
      + context.outputs.map { "\($0.parameter).count >= \($0.size), let \($0.parameter) = \($0.parameter).baseAddress" })
      .joined(separator: ", ")
    predictGuards = context.outputs.map { output in
      let needed = output.isSequence ? "steps * \(output.size)" : "\(output.size)"
      return "\(output.parameter).count >= \(needed), let \(output.parameter) = \(output.parameter).baseAddress"
    }.joined(separator: ", ")
    outputBases = context.outputs.map(\.parameter).joined(separator: ", ")
    stepOutputBases = context.stepOutputArguments
    outputPointerParameters = context.outputs.map { "_ \($0.parameter): UnsafeMutablePointer<Float>" }
      .joined(separator: ", ")
  }

  /// `initial_h0` → `initialH0`; `initial_h0_1` → `initialH0_1` (a part of digits keeps its `_`).
  static func camelCase(_ name: String) -> String {
    let parts = name.split(separator: "_")
    return (parts.first.map(String.init) ?? "")
      + parts.dropFirst().map { part in
        part.allSatisfy(\.isNumber) ? "_" + part : part.prefix(1).uppercased() + part.dropFirst()
      }.joined()
  }

  /// A C length expression (`5`, `NAME_MAX_STEPS`, `NAME_MAX_STEPS * 8`) as a number.
  static func length(_ expression: String?, maxSteps: Int) -> Int {
    guard let expression else { return 1 }
    return expression.split(separator: "*").reduce(1) { product, factor in
      let text = factor.trimmingCharacters(in: .whitespaces)
      return product * (Int(text) ?? maxSteps)
    }
  }

  /// A C table's values as Swift literals, split into chunks of whole rows.
  static func table(_ table: CWeightTableContext, rowLength: Int) -> Table {
    let values = table.lines.flatMap { line in
      line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map(literal)
    }
    let row = max(1, rowLength)
    let rowsPerChunk = max(1, SwiftCodeGenerator.chunkLimit / row)
    let chunkLength = rowsPerChunk * row
    var chunks: [Table.Chunk] = []
    var start = 0
    while start < values.count {
      let slice = Array(values[start..<min(values.count, start + chunkLength)])
      let perLine = table.elementType == "float" ? 8 : 16
      let lines = stride(from: 0, to: slice.count, by: perLine).map { lineStart in
        "    " + slice[lineStart..<min(slice.count, lineStart + perLine)].joined(separator: ", ") + ","
      }
      chunks.append(Table.Chunk(index: chunks.count, length: slice.count, lines: lines))
      start += chunkLength
    }
    return Table(
      symbol: table.symbol, elementType: swiftType[table.elementType] ?? "Int32", summary: table.summary,
      length: table.length, rowLength: row, rowsPerChunk: rowsPerChunk, chunks: chunks)
  }

  /// The Swift element type of a C table's.
  static let swiftType = ["float": "Float", "int8_t": "Int8", "int16_t": "Int16", "int32_t": "Int32"]

  /// A C literal (`0.5f`, `-1.0e-05f`, `NAN`, `-INFINITY`, `42`) as a Swift literal.
  static func literal(_ text: String) -> String {
    switch text {
    case "NAN": return ".nan"
    case "INFINITY": return ".infinity"
    case "-INFINITY": return "-.infinity"
    default: return text.hasSuffix("f") ? String(text.dropLast()) : text
    }
  }

  /// Every C float literal (`0.5f`, `NAN`, ...) anywhere in an encoded context value, spelled for Swift.
  static func swiftLiterals(_ value: Any) -> Any {
    if let text = value as? String {
      if text == "NAN" || text.hasSuffix("INFINITY") { return literal(text) }
      if text.hasSuffix("f"), let first = text.first, first.isNumber || first == "-",
        text.dropLast().allSatisfy({ $0.isNumber || ".-+e".contains($0) })
      {
        return String(text.dropLast())
      }
      return text
    }
    if let dictionary = value as? [String: Any] { return dictionary.mapValues(swiftLiterals) }
    if let array = value as? [Any] { return array.map(swiftLiterals) }
    return value
  }

  /// An operation whose C expressions (`state->vec_a`, `NULL`) are rewritten for Swift (`state.vec_a`, `nil`).
  static func converted(_ operation: COperationContext) -> COperationContext {
    func swift(_ text: String?) -> String? {
      text.map { $0.replacingOccurrences(of: "->", with: ".").replacingOccurrences(of: "NULL", with: "nil") }
    }
    var result = operation
    result.destination = swift(operation.destination)
    result.runs = operation.runs?.map { run in
      var run = run
      run.arguments = swift(run.arguments) ?? ""
      return run
    }
    return result
  }
}
