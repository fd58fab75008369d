import CanonicalModel
import CodeGen
import FixtureFormat
import Foundation
import Quantization
import Targets
import Testing
import Verification

/// Generated integer C against the integer reference, bit for bit (`--abs 0 --rel 0`): a matrix over
/// streaming / buffering models and per-channel / per-tensor weights on the host, a representative
/// pair on the emulated Cortex-M4 (SMLAD path) and M3 (portable C, soft float), where only a final
/// float softmax may differ by an ulp (newlib's expf); and the integer API's object on a Cortex-M3
/// without a single soft-float call.
@Suite struct IntegerCTargetsTests {
  enum Shape: String, CaseIterable, Sendable { case streaming, buffered }

  static func model(_ shape: Shape, _ granularity: WeightGranularity) throws -> Model {
    try IntegerModels.quantized(
      shape == .streaming ? IntegerModels.streaming() : IntegerModels.buffered(), granularity: granularity)
  }

  /// A fixture whose expected outputs are the integer reference's (batch 3, 9 steps, held-out inputs).
  static func referenceFixture(_ model: Model) throws -> Fixture {
    let features = model.inputs[0].shape[2] ?? 0
    let input = IntegerModels.batches(count: 1, batch: 3, time: 9, features: features, seed: 77, scale: 2.5)[0][0]
    let outputs = try IntegerInterpreter(model: model).run([input])
    return Fixture(
      url: URL(fileURLWithPath: "/nonexistent/integer-reference.fixture.json"),
      producer: FixtureProducer(framework: "lstmc integer reference", version: "test"),
      inputs: [
        FixtureTensor(name: "x", elementType: .float32, shape: input.shape, values: input.data.map { Double($0) })
      ],
      outputs: zip(model.outputs, outputs).map { output, tensor in
        FixtureTensor(
          name: output.name, elementType: .float32, shape: tensor.shape, values: tensor.data.map { Double($0) })
      })
  }

  static func verify(_ model: Model, _ fixture: Fixture, on target: VerificationTarget) throws -> FixtureReport {
    try Verifier(model: model, absOverride: 0, relOverride: 0).verify(fixture, on: target, fixtureName: "reference")
  }

  static let hostCases: [(Shape, WeightGranularity)] = Shape.allCases.flatMap { shape in
    WeightGranularity.allCases.map { (shape, $0) }
  }

  @Test(arguments: hostCases)
  func hostCIsBitExactWithTheIntegerReference(shape: Shape, granularity: WeightGranularity) throws {
    let model = try Self.model(shape, granularity)
    var fixture = try Self.referenceFixture(model)
    for target in [VerificationTarget.interpreter, .c] {
      let report = try Self.verify(model, fixture, on: target)
      #expect(report.passed, "\(shape) \(granularity) on \(target.rawValue): \(report.outputs.map(\.maxAbsError))")
    }
    // The comparison can fail: one expected value one float step away is caught.
    fixture.outputs[0].values[1] = Double(Float(fixture.outputs[0].values[1]).nextUp)
    #expect(try !Self.verify(model, fixture, on: .c).passed)
  }

  @Test(
    .enabled(if: CBuildSupport.canRunCortexM || CBuildSupport.cortexMRequired),
    arguments: [(Shape.streaming, WeightGranularity.perChannel), (.buffered, .perTensor)])
  func emulatedCoresAreBitExactWithTheIntegerReference(shape: Shape, granularity: WeightGranularity) throws {
    let model = try Self.model(shape, granularity)
    let fixture = try Self.referenceFixture(model)
    for target in [VerificationTarget.cCortexM4, .cCortexM3] {
      let report = try Self.verify(model, fixture, on: target)
      for (output, comparison) in zip(model.outputs, report.outputs) {
        if output.layer == model.layers.count - 1, shape == .streaming {
          // The final softmax runs in float on newlib's expf, which differs from glibc's by an ulp at
          // times; a different integer logit would move a probability by ~1e-2, not 1e-7.
          #expect(comparison.maxRelError <= 1e-6, "\(target.rawValue) \(output.name): \(comparison.maxRelError)")
        } else {
          #expect(comparison.maxAbsError == 0, "\(target.rawValue) \(output.name): \(comparison.maxAbsError)")
        }
      }
    }
  }

  @Test(arguments: [(Shape.streaming, WeightGranularity.perTensor), (.buffered, .perChannel)])
  func selfCheckingProgramRunsCleanUnderSanitizersWithStrictWarnings(
    shape: Shape, granularity: WeightGranularity
  ) throws {
    let folder = try CBuildSupport.scratch("integer-sanitizers")
    defer { CBuildSupport.remove(folder) }
    let model = try Self.model(shape, granularity)
    let fixture = try Self.referenceFixture(model)
    func tensor(_ t: FixtureTensor) -> Tensor { Tensor(shape: t.shape, data: t.values.map { Float($0) }) }
    let test = CTestCase(
      name: "reference", inputs: fixture.inputs.map(tensor), expected: fixture.outputs.map(tensor), tolerance: (0, 0))
    for file in try CCodeGenerator.generate(model, testCases: [test], options: CGenerationOptions(name: "qm")) {
      _ = try CBuildSupport.write(file.contents, to: file.name, in: folder)
    }
    let flags = [
      "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Wconversion", "-Wshadow", "-Wdouble-promotion", "-Werror",
      "-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
    ]
    _ = try Self.run("cc", flags + ["qm.c", "qm_test.c", "-lm", "-o", "qm_test"], in: folder)
    let output = try Self.run("./qm_test", [], in: folder)
    #expect(output.contains("result PASS"), "\(output)")
  }

  /// Runs `tool` with `arguments` in `folder`; returns stdout, expecting exit 0.
  static func run(_ tool: String, _ arguments: [String], in folder: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    process.currentDirectoryURL = folder
    let output = folder.appendingPathComponent("tool.out")
    FileManager.default.createFile(atPath: output.path, contents: nil)
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
    #expect(try Self.run("arm-none-eabi-objdump", ["-d", "m4.o"], in: folder).contains("smlad"))
    #expect(try !Self.run("arm-none-eabi-objdump", ["-d", "m3_integer.o"], in: folder).contains("smlad"))
  }
}
