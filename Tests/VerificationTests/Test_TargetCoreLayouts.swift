import CanonicalModel
import CodeGen
import FixtureFormat
import Foundation
import KerasImport
import ONNXImport
import Testing

@testable import Benchmark
@testable import Targets
@testable import Verification

/// The gate-product layouts of `generate c --target-core`. Every layout computes the same sums in
/// the same order, so on the host (no fused multiply-add at `-O2` without `-march`) each layout's
/// outputs equal the host layout's bit for bit, and each passes the framework's fixture. The
/// emulated cores run their own layout on every Keras fixture already (`CTargetFixtureTests`:
/// `verify --target c-cortex-m4|c-cortex-m3` builds the core's layout); here two models also run
/// the other layouts there. The Cortex-M4F kernel is checked in its assembly and its count.
@Suite struct TargetCoreLayoutTests {
  /// LSTM with a Dense head, stacked LSTMs, a masked Bidirectional LSTM, a GRU stack resetting after
  /// and before the product, a Bidirectional GRU pair, a TimeDistributed head, hard-sigmoid and other
  /// non-vectorized activations, ONNX peepholes (Bidirectional), clip, input_forget, a GRU resetting
  /// before with clip, sequence lengths, a PyTorch GRU stack with h0, and two benchmark models whose
  /// gate rows fill whole blocks. Hidden sizes 4, 5, 6, 32 and 64: row counts with and without a
  /// tail of rows % 8 and rows % 4.
  static let covering = [
    "keras/k2_basic.fixture.json", "keras/k2_stacked.fixture.json", "keras/k2_masking_bidi.fixture.json",
    "keras/k3_gru_stateful.fixture.json", "keras/k2_gru_bidi_a.fixture.json", "keras/k2_seq_timedist.fixture.json",
    "keras/k3_acts_a.fixture.json", "onnx/h_peepholes_bidi.fixture.json", "onnx/h_clip.fixture.json",
    "onnx/h_input_forget.fixture.json", "onnx/h_gru_clip_lbr0.fixture.json", "onnx/h_seqlens_bidi.fixture.json",
    "onnx/torch_gru_l2_bf_last_h0.fixture.json", "bench/lstm_16x32.fixture.json", "bench/gru_32x64.fixture.json",
  ]

  /// The layouts whose code differs (`cortex-m3` is `generic`'s code under another name).
  static let layouts: [TargetCore] = [.cortexM4, .generic]

  static func load(_ path: String) throws -> (Model, FixtureBinding, Fixture) {
    let url = FixtureFiles.fixtures.appendingPathComponent(path)
    let fixture = try Fixture(contentsOf: url)
    let modelURL = try #require(fixture.modelURL, "\(path) names no model")
    let model =
      modelURL.pathExtension == "onnx"
      ? try ONNXImporter.importModel(at: modelURL) : try KerasImporter.importModel(at: modelURL)
    return (model, try FixtureBinding(fixture: fixture, model: model), fixture)
  }

  static func run(_ path: String, core: TargetCore, on target: VerificationTarget, math: MathMode = .exact) throws
    -> GeneratedCRun.Outcome
  {
    let (model, binding, fixture) = try load(path)
    let folder = try CBuildSupport.scratch("layout-\(core.rawValue)")
    defer { CBuildSupport.remove(folder) }
    return try GeneratedCRun.run(
      model: model, inputs: binding.inputs, expected: try binding.canonicalExpected(for: model),
      tolerance: fixture.tolerance ?? .default, target: target, in: folder, math: math, targetCore: core)
  }

  @Test(arguments: covering)
  func everyLayoutGivesTheHostLayoutsOutputsOnHostC(path: String) throws {
    let reference = try Self.run(path, core: .host, on: .c)
    #expect(reference.programPassed, "host layout: \(reference.failureLines)")
    for core in Self.layouts {
      let outcome = try Self.run(path, core: core, on: .c)
      #expect(outcome.programPassed, "\(core.rawValue): \(outcome.failureLines)")
      #expect(outcome.outputs.map(\.shape) == reference.outputs.map(\.shape))
      for (output, (a, b)) in zip(outcome.outputs, reference.outputs).enumerated() {
        let differing = zip(a.data, b.data).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(core.rawValue), output \(output): \(differing) values differ from the host layout's")
      }
    }
  }

  /// Whether this machine runs AVX2 and FMA code (the host kernel's 8-lane fused path).
  static let hostHasAVX2FMA: Bool = {
    guard let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
    let flags = Set(cpu.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init))
    return flags.contains("avx2") && flags.contains("fma")
  }()

  /// The host kernel's vector paths: SSE2 at plain `-O2` (one block of 8 vector sums) and, where the
  /// machine has them, AVX2 with the FMA builtin (two blocks of 4 at once, a lone block alone:
  /// lstm_8x8 has one block of 32 rows, gru_32x64 three runs of 2, 4 and 2 blocks). Each gives the
  /// generic layout's portable C outputs bit for bit under the same flags, and passes the fixture.
  @Test(arguments: ["bench/lstm_8x8.fixture.json", "bench/gru_32x64.fixture.json"])
  func theHostKernelsVectorPathsGiveTheGenericLayoutsOutputs(path: String) throws {
    let (model, binding, fixture) = try Self.load(path)
    let expected = try binding.canonicalExpected(for: model)
    let flagSets = [["-O2"]] + (Self.hostHasAVX2FMA ? [["-O2", "-mavx2", "-mfma"]] : [])
    for flags in flagSets {
      var outputs: [TargetCore: [Tensor]] = [:]
      for core in [TargetCore.host, .generic] {
        let folder = try CBuildSupport.scratch("host-kernel")
        defer { CBuildSupport.remove(folder) }
        let files = try GeneratedCRun.generate(
          model: model, inputs: binding.inputs, expected: expected, tolerance: fixture.tolerance ?? .default,
          target: .c, targetCore: core)
        for file in files {
          try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name))
        }
        let sources = ["\(GeneratedCRun.programName).c", "\(GeneratedCRun.programName)_test.c"].map {
          folder.appendingPathComponent($0)
        }
        let result = try CProgramRunner(target: .host).buildAndRun(
          sources: sources, includeDirectories: [folder], defines: ["LSTMC_PRINT_VALUES"], extraFlags: flags,
          workDirectory: folder, timeout: 60)
        let outcome = try GeneratedCRun.read(result, shapes: expected.map(\.shape), target: .c)
        #expect(outcome.programPassed, "\(core.rawValue) \(flags): \(outcome.failureLines)")
        outputs[core] = outcome.outputs
      }
      let host = try #require(outputs[.host])
      let generic = try #require(outputs[.generic])
      for (a, b) in zip(host, generic) {
        let differing = zip(a.data, b.data).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(flags): \(differing) values differ between the host and generic layouts")
      }
    }
  }

  /// The host kernel is vectorized at plain `-O2` (no `-O3`, no `-march`): packed SSE multiplies and
  /// adds in the cell, and with `-mavx2 -mfma` fused multiply-adds on 8-float registers.
  @Test func theHostKernelIsVectorizedAtO2() throws {
    let url = FixtureFiles.fixtures.appendingPathComponent("bench/lstm_16x32.h5")
    let model = try KerasImporter.importModel(at: url)
    let folder = try CBuildSupport.scratch("host-asm")
    defer { CBuildSupport.remove(folder) }
    let files = try CCodeGenerator.generate(model, testCases: [], options: CGenerationOptions(math: .fast))
    for file in files {
      try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name))
    }
    let header = try #require(files.first { $0.name == "model.h" }).contents
    #expect(header.contains("Layout:  host: dot products over blocks of 32 gate rows"))
    let cc = CProgramRunner(target: .host).cc.split(separator: " ").map(String.init)
    func assembly(_ flags: [String]) throws -> [String] {
      let compile = Process()
      compile.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      compile.arguments = cc + ["-std=c99"] + flags + ["-S", "model.c", "-o", "model.s"]
      compile.currentDirectoryURL = folder
      try compile.run()
      compile.waitUntilExit()
      try #require(compile.terminationStatus == 0)
      return try String(contentsOf: folder.appendingPathComponent("model.s"), encoding: .utf8)
        .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }
    let sse = try assembly(["-O2"])
    #expect(sse.filter { $0.hasPrefix("mulps") }.count >= 8, "no packed multiplies at -O2")
    #expect(sse.filter { $0.hasPrefix("addps") }.count >= 8, "no packed adds at -O2")
    if Self.hostHasAVX2FMA {
      let avx = try assembly(["-O2", "-mavx2", "-mfma"])
      #expect(avx.filter { $0.hasPrefix("vfmadd") && $0.contains("%ymm") }.count >= 8, "no 8-float fused multiply-adds")
    }
  }

  /// The layouts not native to the Cortex-M4F also pass there (its own runs on every Keras fixture).
  @Test(
    .enabled(if: CBuildSupport.canRunCortexM),
    arguments: ["keras/k3_gru_stateful.fixture.json", "onnx/h_peepholes_bidi.fixture.json"],
    [TargetCore.host, .generic])
  func otherLayoutsPassOnTheCortexM4(path: String, core: TargetCore) throws {
    let outcome = try Self.run(path, core: core, on: .cCortexM4, math: .fast)
    #expect(outcome.programPassed, "\(outcome.failureLines)")
  }

  /// A layout reorders the recurrent kernels' weights (none lost, none added); the biases, the Dense
  /// kernel and every other table stay as they are.
  @Test func theRowBlocksHoldTheHostKernelsWeightsInReadingOrder() throws {
    let (model, _, _) = try Self.load("keras/k3_gru_stateful.fixture.json")
    func tables(_ core: TargetCore) throws -> [String: [String]] {
      let files = try CCodeGenerator.generate(model, testCases: [], options: CGenerationOptions(targetCore: core))
      let source = try #require(files.first { $0.name == "model.c" }).contents
      var result: [String: [String]] = [:]
      var current: String?
      for line in source.split(separator: "\n") {
        if line.hasPrefix("static const float model_"), line.hasSuffix("= {") {
          current = String(line.split(separator: " ")[3].split(separator: "[")[0])
          result[current!] = []
        } else if line == "};" {
          current = nil
        } else if let name = current {
          result[name]! += line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        }
      }
      return result
    }
    let host = try tables(.host)
    let blocked = try tables(.cortexM4)
    #expect(Set(host.keys) == Set(blocked.keys))
    for (name, values) in host {
      let other = try #require(blocked[name])
      if name.hasSuffix("_fwd_kernel") || name.hasSuffix("_bwd_kernel") {
        // Reset-before drops no weight: the candidate's U_n moves into its own run of rows.
        let sameValues = values.sorted() == other.sorted()
        let reordered = values != other
        #expect(sameValues, "\(name) holds other values")
        #expect(reordered, "\(name) is not reordered")
      } else {
        let same = values == other
        #expect(same, "\(name) changed")
      }
    }
  }

  /// The Cortex-M4F kernel as arm-none-eabi-gcc -O2 compiles it: one vldmia per 8 weights into
  /// s16-s23, vfma.f32 into 8 accumulators, and nothing in the function touches the stack beyond
  /// saving registers (no spills).
  @Test(.enabled(if: CBuildSupport.hasArmCompiler))
  func theCortexM4KernelKeepsItsSumsInRegisters() throws {
    let url = FixtureFiles.fixtures.appendingPathComponent("bench/lstm_16x32.h5")
    let model = try KerasImporter.importModel(at: url)
    let folder = try CBuildSupport.scratch("layout-asm")
    defer { CBuildSupport.remove(folder) }
    for file in try CCodeGenerator.generate(
      model, testCases: [], options: CGenerationOptions(math: .fast, targetCore: .cortexM4))
    {
      try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name))
    }
    let compile = Process()
    compile.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    compile.arguments =
      ["arm-none-eabi-gcc", "-std=c99", "-O2", "-fno-inline"] + CTarget.cortexM4.machineFlags
      + ["-S", "model.c", "-o", "model.s"]
    compile.currentDirectoryURL = folder
    try compile.run()
    compile.waitUntilExit()
    try #require(compile.terminationStatus == 0)
    let assembly = try String(contentsOf: folder.appendingPathComponent("model.s"), encoding: .utf8)
    let lines = assembly.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    let start = try #require(lines.firstIndex { $0.hasPrefix("model_rows") && $0.hasSuffix(":") }, "no model_rows")
    let end = try #require(lines[start...].firstIndex { $0.hasPrefix(".size") && $0.contains("model_rows") })
    let body = lines[start..<end]
    // The x and h passes, two input values each (the odd last value's vldmia may be merged by gcc).
    #expect(body.filter { $0.hasPrefix("vldmia") && $0.contains("{s16-s23}") }.count >= 4, "x and h passes")
    #expect(body.filter { $0.hasPrefix("vfma.f32") }.count >= 16)
    let stack = body.filter {
      $0.contains("sp") && !$0.hasPrefix("push") && !$0.hasPrefix("pop") && !$0.hasPrefix("vpush")
        && !$0.hasPrefix("vldm\tsp!") && !$0.hasPrefix("@")
    }
    #expect(stack.isEmpty, "stack accesses in model_rows: \(stack)")
  }

  /// The issue's target: at most 2.3 instructions per multiply-add for `step` at (32, 64) on the
  /// emulated Cortex-M4F with fast math, in the layout `bench --target c-cortex-m4` builds by default
  /// (the host layout took 6.4).
  @Test(.enabled(if: CBuildSupport.canRunCortexM))
  func theCortexM4LayoutMeetsItsInstructionBudget() throws {
    let url = FixtureFiles.fixtures.appendingPathComponent("bench/lstm_32x64.h5")
    let model = try KerasImporter.importModel(at: url)
    let report = try MCUBenchmarkRunner(target: .cortexM4, math: .fast).run(model, modelPath: "m.h5")
    #expect(report.targetCore == "cortex-m4")
    let perMAC = try #require(report.perMAC.step)
    #expect(perMAC <= 2.3, "step: \(perMAC) instructions per multiply-add")
    #expect(report.memory.code <= 3072, "code beyond the weights: \(report.memory.code) bytes")
  }
}
