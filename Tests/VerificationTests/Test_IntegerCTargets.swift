import CanonicalModel
import CodeGen
import FixtureFormat
import Foundation
import KerasImport
import Quantization
import Targets
import Testing
import Verification

/// Generated integer C against the integer reference, bit for bit (`--abs 0 --rel 0`): on the host one
/// program runs the matrix {LSTM, GRU} x {streaming, buffering} x {per-channel, per-tensor} in
/// int8x8_16, the same shapes in int16x8_16, an Embedding model in both schemes, a model without a
/// recurrent layer, the trained GRU, a nudged case that must fail, and Embedding's bad-index status; a few representative cases on the emulated Cortex-M4 (SMLAD path) and M3
/// (portable C, soft float), where only a final float softmax may differ by an ulp (newlib's expf);
/// and the integer API's object on a Cortex-M3 without a single soft-float call.
@Suite struct IntegerCTargetsTests {
  enum Shape: String, CaseIterable, Sendable {
    case streaming, buffered, streamingGRU, bufferedGRU, embedding, denseOnly
  }

  /// One quantized model of the matrix. `wide` (int16x8_16 only) gives one matrix a bias so large that
  /// its sum needs the int64 accumulator, so the generated `dot_wide` path runs too.
  struct Case: Sendable, CustomStringConvertible {
    var shape: Shape
    var granularity: WeightGranularity
    var scheme: QuantizationScheme = .int8x8_16
    var wide = false
    var description: String { "\(shape) \(granularity) \(scheme.rawValue)\(wide ? " wide" : "")" }
  }

  static func model(_ shape: Shape, _ granularity: WeightGranularity) throws -> Model {
    try model(Case(shape: shape, granularity: granularity))
  }

  static func model(_ c: Case) throws -> Model {
    let float: Model
    switch c.shape {
    case .streaming: float = IntegerModels.streaming()
    case .buffered: float = IntegerModels.buffered()
    case .streamingGRU: float = IntegerModels.streamingGRU()
    case .bufferedGRU: float = IntegerModels.bufferedGRU()
    case .embedding: float = IntegerModels.embedding()
    case .denseOnly: float = IntegerModels.denseOnly()
    }
    var model = try IntegerModels.quantized(float, granularity: c.granularity, scheme: c.scheme)
    if c.wide {
      // Row 0 of the first recurrent layer's first W saturates; the other rows' sums stay exact in int64.
      let index = model.layers.firstIndex { !$0.kind.recurrentDirections.isEmpty }!
      var layer = model.quantization!.layers[index]
      let gate = layer.directions[0].gates.keys.sorted()[0]
      layer.directions[0].gates[gate]!.input.bias.data[0] = Int32.max - 1000
      model.quantization!.layers[index] = layer
    }
    return model
  }

  /// A fixture whose expected outputs are the integer reference's (batch 3, 9 steps, held-out inputs).
  static func referenceFixture(_ model: Model) throws -> Fixture {
    let isIndex = model.inputs[0].elementType == .int32
    let input =
      isIndex
      ? IntegerModels.indexBatches(count: 1, batch: 3, time: 9, seed: 77)[0][0]
      : IntegerModels.batches(
        count: 1, batch: 3, time: 9, features: model.inputs[0].shape[2] ?? 0, seed: 77, scale: 2.5)[
          0][0]
    let outputs = try IntegerInterpreter(model: model).run([input])
    return Fixture(
      url: URL(fileURLWithPath: "/nonexistent/integer-reference.fixture.json"),
      producer: FixtureProducer(framework: "lstmc integer reference", version: "test"),
      inputs: [
        FixtureTensor(
          name: model.inputs[0].name, elementType: isIndex ? .int32 : .float32, shape: input.shape,
          values: input.data.map { Double($0) })
      ],
      outputs: zip(model.outputs, outputs).map { output, tensor in
        FixtureTensor(
          name: output.name, elementType: .float32, shape: tensor.shape, values: tensor.data.map { Double($0) })
      })
  }

  static func verify(_ model: Model, _ fixture: Fixture, on target: VerificationTarget) throws -> FixtureReport {
    try Verifier(model: model, absOverride: 0, relOverride: 0).verify(fixture, on: target, fixtureName: "reference")
  }

  /// The host matrix: int8x8_16 over every LSTM and GRU shape in both granularities; int16x8_16 over the
  /// same shapes with the granularities alternating (the streaming ones with a wide matrix); the Embedding
  /// model in both schemes; a Dense-only model (no recurrent layer: the shared functions it does not use
  /// must not be emitted, or `-Werror` fails).
  static let hostCases: [Case] =
    [Shape.streaming, .buffered, .streamingGRU, .bufferedGRU].flatMap { shape in
      WeightGranularity.allCases.map { Case(shape: shape, granularity: $0) }
    }
    + [
      Case(shape: .streaming, granularity: .perChannel, scheme: .int16x8_16, wide: true),
      Case(shape: .buffered, granularity: .perTensor, scheme: .int16x8_16),
      Case(shape: .streamingGRU, granularity: .perTensor, scheme: .int16x8_16, wide: true),
      Case(shape: .bufferedGRU, granularity: .perChannel, scheme: .int16x8_16),
      Case(shape: .embedding, granularity: .perChannel),
      Case(shape: .embedding, granularity: .perTensor, scheme: .int16x8_16),
      Case(shape: .denseOnly, granularity: .perChannel, scheme: .int16x8_16),
    ]

  /// The trained GRU of `Fixtures/quant` quantized (int8x8_16, per channel) on its calibration sequences, and
  /// the integer reference's outputs on the first 8 of its test sequences.
  static func trainedGRU() throws -> (Model, Fixture) {
    let folder = FixtureFiles.fixtures.appendingPathComponent("quant")
    let model = try KerasImporter.importModel(at: folder.appendingPathComponent("gru.h5"))
    let calibration = try NumPyArray(contentsOf: folder.appendingPathComponent("sine.calibration.npy")).tensor
    let quantized = try Quantizer().quantize(
      model, calibration: try Calibration.record(model, batches: [[calibration]]))
    let test = try Fixture(contentsOf: folder.appendingPathComponent("gru.fixture.json")).inputs[0]
    let shape = [8] + test.shape.dropFirst()
    let input = Tensor(shape: shape, data: test.values.prefix(shape.reduce(1, *)).map { Float($0) })
    let outputs = try IntegerInterpreter(model: quantized).run([input])
    let fixture = Fixture(
      url: URL(fileURLWithPath: "/nonexistent/trained-gru.fixture.json"),
      producer: FixtureProducer(framework: "lstmc integer reference", version: "test"),
      inputs: [
        FixtureTensor(name: test.name, elementType: .float32, shape: shape, values: input.data.map { Double($0) })
      ],
      outputs: zip(quantized.outputs, outputs).map { output, tensor in
        FixtureTensor(
          name: output.name, elementType: .float32, shape: tensor.shape, values: tensor.data.map { Double($0) })
      })
    return (quantized, fixture)
  }

  /// A generated self-checking program (tolerance 0) of `model` named `name`, its `main` renamed `name_main`.
  static func program(_ model: Model, _ fixture: Fixture, name: String, in folder: URL) throws {
    func tensor(_ t: FixtureTensor) -> Tensor { Tensor(shape: t.shape, data: t.values.map { Float($0) }) }
    let test = CTestCase(
      name: "reference", inputs: fixture.inputs.map(tensor), expected: fixture.outputs.map(tensor), tolerance: (0, 0))
    for file in try CCodeGenerator.generate(model, testCases: [test], options: CGenerationOptions(name: name)) {
      let contents =
        file.name.hasSuffix("_test.c")
        ? file.contents.replacingOccurrences(of: "int main(void)", with: "int \(name)_main(void)") : file.contents
      _ = try CBuildSupport.write(contents, to: file.name, in: folder)
    }
  }

  /// One program, one compile (strict warnings, AddressSanitizer and UndefinedBehaviorSanitizer, which
  /// stop at the first report): every host case must pass at tolerance 0, a case with one expected value
  /// one float step off must fail (so the comparison can fail), and the Embedding model returns
  /// `STATUS_BAD_INDEX` for an index outside its table from both APIs without computing anything.
  @Test func hostCIsBitExactWithTheIntegerReferenceOverTheMatrix() throws {
    let folder = try CBuildSupport.scratch("integer-matrix")
    defer { CBuildSupport.remove(folder) }
    var sources: [String] = []
    var calls: [String] = []
    for (k, c) in Self.hostCases.enumerated() {
      let model = try Self.model(c)
      try Self.program(model, try Self.referenceFixture(model), name: "q\(k)", in: folder)
      sources += ["q\(k).c", "q\(k)_test.c"]
      calls.append("    failed += report(\"\(c)\", q\(k)_main() == 0);")
    }
    let (trained, trainedFixture) = try Self.trainedGRU()
    try Self.program(trained, trainedFixture, name: "qt", in: folder)
    sources += ["qt.c", "qt_test.c"]
    calls.append("    failed += report(\"trained GRU (Fixtures/quant/gru.h5) int8x8_16\", qt_main() == 0);")
    let nudgedModel = try Self.model(Case(shape: .bufferedGRU, granularity: .perTensor, scheme: .int16x8_16))
    var nudged = try Self.referenceFixture(nudgedModel)
    nudged.outputs[0].values[1] = Double(Float(nudged.outputs[0].values[1]).nextUp)
    try Self.program(nudgedModel, nudged, name: "qn", in: folder)
    sources += ["qn.c", "qn_test.c"]
    let embedding = Self.hostCases.firstIndex { $0.shape == .embedding }!
    let e = "q\(embedding)"
    let driver = """
      #include <stdio.h>
      #include "\(e).h"
      \(Self.hostCases.indices.map { "int q\($0)_main(void);" }.joined(separator: "\n"))
      int qn_main(void);
      int qt_main(void);
      static int report(const char *what, int passed)
      {
          printf("matrix case %s: %s\\n", what, passed ? "pass" : "FAIL");
          return passed ? 0 : 1;
      }
      static \(e)_state_t state;
      int main(void)
      {
          int failed = 0;
      \(calls.joined(separator: "\n"))
          failed += report("nudged expected value fails", qn_main() != 0);
          int32_t bad[3] = {1, \(e.uppercased())_VOCABULARY, 2};
          int32_t negative[1] = {-1};
          float p[3 * \(e.uppercased())_OUTPUT_0_SIZE];
          float seq[3 * \(e.uppercased())_OUTPUT_1_SIZE];
          \(e)_act_t pq[3 * \(e.uppercased())_OUTPUT_0_SIZE];
          \(e)_act_t seqq[3 * \(e.uppercased())_OUTPUT_1_SIZE];
          failed += report("bad index, predict", \(e)_predict(&state, bad, 3, p, seq) == \(e.uppercased())_STATUS_BAD_INDEX);
          failed += report("bad index, predict_q", \(e)_predict_q(&state, bad, 3, pq, seqq) == \(e.uppercased())_STATUS_BAD_INDEX);
          \(e)_reset(&state);
          failed += report("negative index, step", \(e)_step(&state, negative, p, seq) == \(e.uppercased())_STATUS_BAD_INDEX);
          failed += report("bad index, step_q", \(e)_step_q(&state, bad + 1, pq, seqq) == \(e.uppercased())_STATUS_BAD_INDEX);
          failed += report("good indices, predict_q", \(e)_predict_q(&state, bad, 1, pq, seqq) == \(e.uppercased())_STATUS_OK);
          printf("integer matrix: %d failed\\n", failed);
          return failed == 0 ? 0 : 1;
      }

      """
    _ = try CBuildSupport.write(driver, to: "driver.c", in: folder)
    let flags = [
      "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Wconversion", "-Wshadow", "-Wdouble-promotion", "-Werror", "-O1",
      "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
    ]
    _ = try Self.run("cc", flags + sources + ["driver.c", "-lm", "-o", "matrix"], in: folder)
    let output = try Self.run("./matrix", [], in: folder)
    let summary = output.split(separator: "\n").filter {
      $0.hasPrefix("matrix case ") || $0.hasPrefix("integer matrix")
    }
    #expect(output.contains("integer matrix: 0 failed"), "\(summary.joined(separator: "\n"))")
    #expect(summary.filter { $0.hasPrefix("matrix case ") }.count == Self.hostCases.count + 7)
  }

  /// The emulated cases: the int8 LSTM pair on both cores, an int8 Bidirectional GRU (both resets) on the
  /// M4's SMLAD path, and an int16 LSTM with a wide matrix on the M4 (`__smlad`/`__smlald` on int16 lanes).
  static let emulatedCases: [(Case, [VerificationTarget])] = [
    (Case(shape: .streaming, granularity: .perChannel), [.cCortexM4, .cCortexM3]),
    (Case(shape: .buffered, granularity: .perTensor), [.cCortexM4, .cCortexM3]),
    (Case(shape: .bufferedGRU, granularity: .perChannel), [.cCortexM4]),
    (Case(shape: .streaming, granularity: .perTensor, scheme: .int16x8_16, wide: true), [.cCortexM4]),
  ]

  @Test(
    .enabled(if: CBuildSupport.canRunCortexM || CBuildSupport.cortexMRequired),
    arguments: emulatedCases)
  func emulatedCoresAreBitExactWithTheIntegerReference(c: Case, targets: [VerificationTarget]) throws {
    let model = try Self.model(c)
    let fixture = try Self.referenceFixture(model)
    for target in targets {
      let report = try Self.verify(model, fixture, on: target)
      for (output, comparison) in zip(model.outputs, report.outputs) {
        if output.layer == model.layers.count - 1, c.shape == .streaming {
          // The final softmax runs in float on newlib's expf, which differs from glibc's by an ulp at
          // times; a different integer logit would move a probability by ~1e-2, not 1e-7.
          #expect(comparison.maxRelError <= 1e-6, "\(target.rawValue) \(c) \(output.name): \(comparison.maxRelError)")
        } else {
          #expect(comparison.maxAbsError == 0, "\(target.rawValue) \(c) \(output.name): \(comparison.maxAbsError)")
        }
      }
    }
  }

  /// A recurrent activation the integer C does not have (Keras 2's hard_sigmoid) is refused in one line
  /// naming the layer, rather than run as a sigmoid.
  @Test func hardSigmoidIsRefusedNamingTheLayer() throws {
    var model = try Self.model(Case(shape: .streamingGRU, granularity: .perChannel))
    guard case .gru(var gru) = model.layers[2].kind else { throw CodeGenError.invalidModel("not a GRU") }
    gru.activations = GRUActivations(gate: .hardSigmoid(slope: 0.2, offset: 0.5), candidate: .tanh)
    model.layers[2].kind = .gru(gru)
    #expect(
      throws: CodeGenError.unsupportedModel(
        "layer 'gru_1': integer code generation does not support GRU activations "
          + "hard_sigmoid/tanh (supported: sigmoid/tanh) yet")
    ) {
      try CCodeGenerator.generate(model, testCases: [], options: CGenerationOptions(name: "qm"))
    }
  }

  /// `--target-core` does not change integer code, and the header says so instead of describing the float layout.
  @Test func integerHeaderDescribesTheIntegerLayoutForEveryCore() throws {
    let model = try Self.model(Case(shape: .streamingGRU, granularity: .perChannel, scheme: .int16x8_16))
    let host = try CCodeGenerator.generate(model, testCases: [], options: CGenerationOptions(name: "qm"))
    let m4 = try CCodeGenerator.generate(
      model, testCases: [], options: CGenerationOptions(name: "qm", targetCore: .cortexM4))
    let header = try #require(m4.first { $0.name == "qm.h" }).contents
    #expect(header.contains("Layout:  integer: int8 weights row-major"), "\(header.prefix(800))")
    #expect(!header.contains("cortex-m4:"))
    #expect(host.map(\.contents) == m4.map(\.contents))
  }

  /// Runs `tool` with `arguments` in `folder`; returns stdout, expecting exit 0.
  static func run(_ tool: String, _ arguments: [String], in folder: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    process.currentDirectoryURL = folder
    let output = folder.appendingPathComponent("tool.out")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    let handle = try FileHandle(forWritingTo: output)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    process.waitUntilExit()
    try handle.close()
    let text = try String(contentsOf: output, encoding: .utf8)
    #expect(process.terminationStatus == 0, "\(tool) \(arguments.joined(separator: " ")): \(text)")
    return text
  }

  @Test(.enabled(if: CBuildSupport.hasArmCompiler || CBuildSupport.cortexMRequired))
  func integerAPIOnCortexM3HasNoSoftFloatCallsAndM4UsesSMLAD() throws {
    let folder = try CBuildSupport.scratch("integer-objects")
    defer { CBuildSupport.remove(folder) }
    let model = try Self.model(.streaming, .perChannel)
    for file in try CCodeGenerator.generate(model, testCases: [], options: CGenerationOptions(name: "qm")) {
      _ = try CBuildSupport.write(file.contents, to: file.name, in: folder)
    }
    let strict = ["-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Wconversion", "-Wshadow", "-Werror", "-O2", "-c"]
    func undefined(_ flags: [String], _ object: String) throws -> [String] {
      _ = try Self.run("arm-none-eabi-gcc", strict + flags + ["qm.c", "-o", object], in: folder)
      return try Self.run("arm-none-eabi-nm", ["-u", object], in: folder).split(separator: "\n").map {
        String($0.split(separator: " ").last ?? "")
      }
    }
    func softFloat(_ symbols: [String]) -> [String] {
      symbols.filter { $0.hasPrefix("__aeabi_f") || $0.hasPrefix("__aeabi_d") }
    }
    let m3 = ["-mcpu=cortex-m3", "-mthumb", "-mfloat-abi=soft"]
    let integerOnly = try undefined(m3 + ["-DQM_INTEGER_ONLY"], "m3_integer.o")
    #expect(softFloat(integerOnly).isEmpty, "\(integerOnly)")
    // The check can fail: the float API of the same file calls the soft-float library.
    let withFloat = try undefined(m3, "m3_float.o")
    #expect(!softFloat(withFloat).isEmpty, "\(withFloat)")
    // The M4 build multiplies with SMLAD; the M3 one (no DSP extension) cannot.
    let m4 = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]
    _ = try undefined(m4, "m4.o")
    let m4Code = try Self.run("arm-none-eabi-objdump", ["-d", "m4.o"], in: folder)
    #expect(m4Code.contains("smlad"))
    // The four-row kernel's sxtb16 carries its rotation (one instruction, not a ror and an sxtb16), and
    // the -O0 build (r7 is the frame pointer there) compiles without it under the same strict flags.
    #expect(m4Code.split(separator: "\n").contains { $0.contains("sxtb16") && $0.contains("ror #8") })
    _ = try Self.run(
      "arm-none-eabi-gcc", strict.filter { $0 != "-O2" } + m4 + ["-O0", "qm.c", "-o", "m4_O0.o"], in: folder)
    #expect(try !Self.run("arm-none-eabi-objdump", ["-d", "m3_integer.o"], in: folder).contains("smlad"))
    // An int16x8_16 GRU with a wide matrix: no soft float on the M3 either (int64 sums included), and the
    // M4 build uses __smlald for the int64 sums.
    let gru = try Self.model(Case(shape: .streamingGRU, granularity: .perChannel, scheme: .int16x8_16, wide: true))
    for file in try CCodeGenerator.generate(gru, testCases: [], options: CGenerationOptions(name: "qm")) {
      _ = try CBuildSupport.write(file.contents, to: file.name, in: folder)
    }
    let gruInteger = try undefined(m3 + ["-DQM_INTEGER_ONLY"], "gru_m3.o")
    #expect(softFloat(gruInteger).isEmpty, "\(gruInteger)")
    _ = try undefined(m4 + ["-DQM_INTEGER_ONLY"], "gru_m4.o")
    #expect(try Self.run("arm-none-eabi-objdump", ["-d", "gru_m4.o"], in: folder).contains("smlald"))
  }
}
