import CanonicalModel
import CodeGen
import FixtureFormat
import Foundation
import Targets
import TestSupport
import Testing
import Verification

@testable import ONNXImport

/// Every supported ONNX fixture as generated code: C under the strict warning flags with ASan and
/// UBSan (exact math) and `verify --target c` (which converts between the file's layouts and the
/// generated code's batch-first samples); a covering subset (``covering``) in fast math and through
/// `verify --target swift` (code that differs from the fully tested C only in its activations or
/// language, as for the Keras fixtures, to keep CI within its 25 minutes); and a subset
/// covering layouts, initial states, lengths, Bidirectional and the ONNX-only activations on the
/// emulated Cortex-M targets.
@Suite struct ONNXGeneratedCodeTests {
  typealias Entry = ONNXFixtureTests.Entry

  /// Time-first and batch-first layouts, initial states as inputs and as constants (one per sample),
  /// lengths as an input and as a constant, forward, reverse and Bidirectional, peepholes, clip,
  /// input_forget, the Affine, LeakyRelu, ThresholdedRelu and ScaledTanh activations, PyTorch's h0/c0
  /// shared by two layers with their h_n/c_n concatenated, a Bidirectional layer's y[:, -1], and an
  /// nn.Embedding (a Gather on a weight) on int64 indices.
  static let emulatedSubset = [
    "h_combo_bidi.onnx", "h_combo_rev_op7.onnx", "h_layout1_bidi_peep.onnx", "h_acts_a.onnx", "h_acts_c.onnx",
    "h_combo_fwd_op20.onnx", "torch_l2_bf_last_h0.onnx", "torch_bidi_bf_last.onnx", "torch_embed_bf_last.onnx",
  ]
  static let subset = ONNXFixtureTests.supported.filter { emulatedSubset.contains($0.model) }

  /// A covering subset of the supported fixtures (``TestSupport/ModelFeatures``): every layer
  /// architecture (activations, initial states, lengths, directions), every pair of consecutive layers
  /// and every input and output layout of the supported fixtures occurs in one of them.
  static let covering: [Entry] = ModelFeatures.cover(
    ONNXFixtureTests.supported.compactMap { entry in
      guard let (_, model) = try? ONNXFixtureTests.load(entry), let features = try? ModelFeatures.of(model) else {
        return nil
      }
      return (item: entry, features: features)
    })

  @Test func theCoveringSubsetIsASubsetWithEveryFeature() throws {
    var all = Set<String>()
    for entry in ONNXFixtureTests.supported { all.formUnion(try ModelFeatures.of(try ONNXFixtureTests.load(entry).1)) }
    var covered = Set<String>()
    for entry in Self.covering { covered.formUnion(try ModelFeatures.of(try ONNXFixtureTests.load(entry).1)) }
    #expect(covered == all)
    #expect(Self.covering.count < ONNXFixtureTests.supported.count)
  }

  static let strictFlags = [
    "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Wconversion", "-Wshadow", "-Wdouble-promotion", "-Werror",
  ]
  static let canRunCortexM = (try? CProgramRunner(target: .cortexM4).checkTools(running: true)) != nil
  static let hasSwiftc = (try? VerificationTarget.swift.requireTools()) != nil

  /// The fixture as a test case: canonical inputs and expected outputs, the fixture's tolerance.
  static func testCase(_ entry: Entry) throws -> (Model, CTestCase) {
    let (fixture, model) = try ONNXFixtureTests.load(entry)
    let binding = try FixtureBinding(fixture: fixture, model: model)
    let tolerance = fixture.tolerance ?? .default
    return (
      model,
      CTestCase(
        name: entry.fixture, inputs: binding.inputs, expected: try binding.canonicalExpected(for: model),
        tolerance: (tolerance.abs, tolerance.rel))
    )
  }

  /// Generates, compiles with `cc`, the strict flags and `flags`, runs; returns status, stdout and stderr.
  static func build(_ model: Model, _ testCase: CTestCase, options: CGenerationOptions, flags: [String]) throws
    -> (status: Int32, output: String, error: String)
  {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-onnx-c-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let files = try CCodeGenerator.generate(model, testCases: [testCase], options: options)
    for file in files { try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name)) }
    let sources = files.map(\.name).filter { $0.hasSuffix(".c") }
    let compiled = try run(
      "/usr/bin/env", ["cc"] + strictFlags + flags + sources + ["-o", "program", "-lm"], in: folder)
    guard compiled.status == 0 else { return (compiled.status, compiled.output, "cc: \(compiled.error)") }
    return try run(folder.appendingPathComponent("program").path, [], in: folder)
  }

  static func run(_ executable: String, _ arguments: [String], in folder: URL) throws
    -> (status: Int32, output: String, error: String)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = folder
    let output = folder.appendingPathComponent("stdout-\(UUID().uuidString)")
    let error = folder.appendingPathComponent("stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    _ = FileManager.default.createFile(atPath: error.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = try FileHandle(forWritingTo: error)
    try process.run()
    process.waitUntilExit()
    return (
      process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "",
      (try? String(contentsOf: error, encoding: .utf8)) ?? ""
    )
  }

  @Test(arguments: ONNXFixtureTests.supported)
  func exactMathRunsCleanUnderSanitizers(entry: Entry) throws {
    let (model, testCase) = try Self.testCase(entry)
    // Buffers exactly as long as the fixture's sequence, so an overrun by one step is caught.
    let steps = testCase.inputs[0].shape[1]
    let result = try Self.build(
      model, testCase, options: CGenerationOptions(name: "model", maxSteps: steps),
      flags: ["-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"])
    #expect(result.status == 0, "\(result.output)\(result.error)")
    #expect(result.output.contains("result PASS"))
    #expect(result.output.contains("streaming PASS") == CCodeGenerator.canStream(model))
    #expect(!result.error.contains("runtime error"))
  }

  @Test(arguments: covering)
  func fastMathPasses(entry: Entry) throws {
    let (model, testCase) = try Self.testCase(entry)
    let result = try Self.build(
      model, testCase, options: CGenerationOptions(name: "fast_model", math: .fast), flags: ["-O1"])
    #expect(result.status == 0, "\(result.output)\(result.error)")
    #expect(result.output.contains("result PASS"))
  }

  static func verify(_ entry: Entry, on target: VerificationTarget) throws {
    let (fixture, model) = try ONNXFixtureTests.load(entry)
    let report = try Verifier(model: model).verify(fixture, on: target, fixtureName: entry.fixture)
    #expect(report.target == target.rawValue)
    #expect(report.passed, "\(ReportFormatter.text([report]))")
  }

  @Test(arguments: ONNXFixtureTests.supported)
  func verifiesOnHostC(entry: Entry) throws {
    try Self.verify(entry, on: .c)
  }

  @Test(.enabled(if: hasSwiftc), arguments: covering)
  func verifiesOnHostSwift(entry: Entry) throws {
    try Self.verify(entry, on: .swift)
  }

  @Test(.enabled(if: canRunCortexM), arguments: subset)
  func verifiesOnCortexM4(entry: Entry) throws {
    try Self.verify(entry, on: .cCortexM4)
  }

  @Test(.enabled(if: canRunCortexM), arguments: subset)
  func verifiesOnCortexM3(entry: Entry) throws {
    try Self.verify(entry, on: .cCortexM3)
  }

  @Test(.enabled(if: canRunCortexM && hasSwiftc), arguments: subset)
  func verifiesOnEmbeddedSwiftCortexM4(entry: Entry) throws {
    try Self.verify(entry, on: .swiftCortexM4)
  }

  @Test func theSubsetIsThere() {
    #expect(Self.subset.count == Self.emulatedSubset.count)
  }

  /// One wrong value of a time-first, direction-stacked output fails at its index in the file's
  /// layout, on C and on Swift: the per-sample conversion cannot hide or move a mismatch.
  @Test(arguments: [VerificationTarget.c, .swift])
  func aWrongValueFailsWhereTheFileHasIt(target: VerificationTarget) throws {
    guard target == .c || Self.hasSwiftc else { return }
    let entry = try #require(ONNXFixtureTests.supported.first { $0.model == "h_combo_bidi.onnx" })
    let loaded = try ONNXFixtureTests.load(entry)
    var fixture = loaded.0
    let model = loaded.1
    // Y is [time 8, directions 2, batch 3, hidden 4]: step 1, backward, sample 2, unit 3.
    let index = ((1 * 2 + 1) * 3 + 2) * 4 + 3
    fixture.outputs[0].values[index] += 0.01
    let report = try Verifier(model: model).verify(fixture, on: target, fixtureName: "perturbed")
    #expect(!report.passed)
    #expect(report.outputs[0].failures == 1)
    #expect(report.outputs[0].worstIndex == [1, 1, 2, 3])
    #expect(report.outputs[1].passed && report.outputs[2].passed)
  }
}

/// The C API's contract for ONNX's extra inputs, exercised by hand-written callers.
@Suite struct ONNXGeneratedCAPITests {
  static func program(_ model: String, main: String) throws -> (status: Int32, output: String, error: String) {
    let entry = try #require(ONNXFixtureTests.supported.first { $0.model == model })
    let (_, loaded) = try ONNXFixtureTests.load(entry)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-onnx-api-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let files = try CCodeGenerator.generate(loaded, testCases: [], options: CGenerationOptions(name: "net"))
    for file in files { try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name)) }
    try Data(main.utf8).write(to: folder.appendingPathComponent("main.c"))
    let compiled = try ONNXGeneratedCodeTests.run(
      "/usr/bin/env",
      ["cc"] + ONNXGeneratedCodeTests.strictFlags + ["-O1", "net.c", "main.c", "-o", "program", "-lm"], in: folder)
    guard compiled.status == 0 else { return (compiled.status, compiled.output, "cc: \(compiled.error)") }
    return try ONNXGeneratedCodeTests.run(folder.appendingPathComponent("program").path, [], in: folder)
  }

  /// NULL initial states are zeros; reset with the initial states then stepping gives what predict gives.
  @Test func initialStatesAreParametersOfResetAndPredict() throws {
    let result = try Self.program(
      "h_combo_fwd_op20.onnx",
      main: """
        #include <stdio.h>
        #include <string.h>
        #include "net.h"
        static net_state_t state;
        int main(void)
        {
            float x[4 * NET_INPUT_SIZE], h0[NET_INITIAL_H0_SIZE], c0[NET_INITIAL_C0_SIZE];
            float zeros_h[NET_INITIAL_H0_SIZE] = {0.0f}, zeros_c[NET_INITIAL_C0_SIZE] = {0.0f};
            float y[4 * NET_OUTPUT_0_SIZE], yh[NET_OUTPUT_1_SIZE], yc[NET_OUTPUT_2_SIZE];
            float a[4 * NET_OUTPUT_0_SIZE], ah[NET_OUTPUT_1_SIZE], ac[NET_OUTPUT_2_SIZE];
            int failures = 0;
            for (size_t i = 0; i < sizeof x / sizeof x[0]; ++i) x[i] = 0.1f * (float)i - 0.7f;
            for (size_t i = 0; i < NET_INITIAL_H0_SIZE; ++i) { h0[i] = 0.3f - 0.2f * (float)i; c0[i] = 0.1f * (float)i; }
            if (net_predict(&state, x, 4, NULL, NULL, y, yh, yc) != NET_STATUS_OK) ++failures;
            if (net_predict(&state, x, 4, zeros_h, zeros_c, a, ah, ac) != NET_STATUS_OK) ++failures;
            if (memcmp(y, a, sizeof y) != 0 || memcmp(yh, ah, sizeof yh) != 0) ++failures;
            if (net_predict(&state, x, 4, h0, c0, y, yh, yc) != NET_STATUS_OK) ++failures;
            if (memcmp(y, a, sizeof y) == 0) ++failures; /* the initial state matters */
            net_reset(&state, h0, c0);
            for (size_t t = 0; t < 4; ++t) {
                if (net_step(&state, x + t * NET_INPUT_SIZE, a + t * NET_OUTPUT_0_SIZE, ah, ac) != NET_STATUS_OK) ++failures;
            }
            if (memcmp(y, a, sizeof y) != 0 || memcmp(yh, ah, sizeof yh) != 0 || memcmp(yc, ac, sizeof yc) != 0) ++failures;
            printf("failures %d\\n", failures);
            return failures;
        }

        """)
    #expect(result.status == 0, "\(result.output)\(result.error)")
    #expect(result.output.contains("failures 0"))
  }

  /// Constant per-sample tables make the functions take the sample; one out of range is refused.
  @Test func aSampleOutOfRangeIsRefused() throws {
    let result = try Self.program(
      "h_combo_rev_op7.onnx",
      main: """
        #include <stdio.h>
        #include <string.h>
        #include "net.h"
        static net_state_t state;
        int main(void)
        {
            float x[8 * NET_INPUT_SIZE] = {0.0f};
            float y0[8 * NET_OUTPUT_0_SIZE], y1[8 * NET_OUTPUT_0_SIZE], h[NET_OUTPUT_1_SIZE], c[NET_OUTPUT_2_SIZE];
            int failures = 0;
            if (NET_FIXED_BATCH != 2) ++failures;
            if (net_predict(&state, x, 8, NET_FIXED_BATCH, y0, h, c) != NET_STATUS_BAD_ARGUMENT) ++failures;
            if (net_predict(&state, x, 8, 0, y0, h, c) != NET_STATUS_OK) ++failures;
            if (net_predict(&state, x, 8, 1, y1, h, c) != NET_STATUS_OK) ++failures;
            /* Sample 1's constant length is 5: its steps 5 to 7 are masked and output zeros. */
            for (size_t i = 5 * NET_OUTPUT_0_SIZE; i < 8 * NET_OUTPUT_0_SIZE; ++i) if (y1[i] != 0.0f) ++failures;
            if (memcmp(y0, y1, sizeof y0) == 0) ++failures;
            printf("failures %d\\n", failures);
            return failures;
        }

        """)
    #expect(result.status == 0, "\(result.output)\(result.error)")
    #expect(result.output.contains("failures 0"))
  }
}
