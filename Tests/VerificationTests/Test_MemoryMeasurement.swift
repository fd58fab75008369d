import FixtureFormat
import Foundation
import KerasImport
import Testing

@testable import Targets
@testable import Verification

/// Section sizes and stack usage of C for a Cortex-M4F.
@Suite struct MemoryMeasurementTests {
  static let source = """
    #include <math.h>

    static const float weights[100] = {1, 2, 3};
    float state[10];
    int counter = 5;

    static float squash(const float *x, int n) {
      float buffer[16];
      float sum = 0;
      for (int i = 0; i < n && i < 16; i++) buffer[i] = tanhf(x[i]);
      for (int i = 0; i < n && i < 16; i++) sum += buffer[i];
      return sum;
    }

    __attribute__((noinline)) static float layer(const float *x, int n) {
      float wide[64];
      for (int i = 0; i < 64; i++) wide[i] = x[i % n] * weights[i];
      return squash(wide, n) + wide[n];
    }

    float net_step(const float *x, int n) { return layer(x, n) + state[n] + (float)counter; }

    float net_predict(const float *x, int n) {
      float acc = 0;
      for (int t = 0; t < 3; t++) acc += net_step(x + t, n);
      return acc;
    }

    int net_recursive(int n) {
      volatile int pad[4];
      pad[0] = n;
      return n ? net_recursive(n - 1) + pad[0] : 0;
    }
    """

  @Test(.enabled(if: CBuildSupport.hasArmCompiler))
  func measuresSectionsFramesAndTheWorstCallChain() throws {
    let folder = try CBuildSupport.scratch("memory")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write(Self.source, to: "net.c", in: folder)
    let usage = try MemoryMeasurement.measure(sources: [source], workDirectory: folder)
    #expect(usage.readOnlyData == 400)
    #expect(usage.text > usage.readOnlyData)
    #expect(usage.data == 4)
    #expect(usage.bss == 40)
    #expect(usage.flash == usage.text + 4)
    #expect(usage.ram == 44)

    let layer = try #require(usage.stack(of: "layer"))
    #expect(layer.frame >= 256)
    #expect(layer.unknownCallees == ["tanhf"])
    let step = try #require(usage.stack(of: "net_step"))
    #expect(step.callees == ["layer"])
    #expect(step.worstPath == step.frame + layer.worstPath)
    #expect(!step.isExact)
    let predict = try #require(usage.stack(of: "net_predict"))
    #expect(predict.worstPath == predict.frame + step.worstPath)
    #expect(predict.unknownCallees == ["tanhf"])
    #expect(predict.qualifier == "static")
    let recursive = try #require(usage.stack(of: "net_recursive"))
    #expect(recursive.isRecursive)
    #expect(recursive.worstPath == recursive.frame)
    // The frames are exactly what -fstack-usage wrote.
    let su = try String(contentsOf: folder.appendingPathComponent("0-net.su"), encoding: .utf8)
    #expect(su.contains("net_step\t\(step.frame)\tstatic"))
  }

  @Test(.enabled(if: CBuildSupport.hasArmCompiler))
  func aCompileErrorIsReported() throws {
    let folder = try CBuildSupport.scratch("memory-broken")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write("int f(void) { return nope; }\n", to: "broken.c", in: folder)
    #expect {
      try MemoryMeasurement.measure(sources: [source], workDirectory: folder)
    } throws: { error in
      guard case .compileFailed(_, let diagnostics) = error as? CProgramError else { return false }
      return diagnostics.contains("nope")
    }
  }

  @Test func aMissingCompilerIsNilOrAnError() throws {
    let folder = try CBuildSupport.scratch("memory-nocc")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write("int f(void) { return 0; }\n", to: "f.c", in: folder)
    #expect(
      try MemoryMeasurement.measureIfAvailable(
        sources: [source], workDirectory: folder, cc: "/nonexistent/arm-none-eabi-gcc") == nil)
    #expect(throws: CProgramError.self) {
      try MemoryMeasurement.measure(sources: [source], workDirectory: folder, cc: "/nonexistent/arm-none-eabi-gcc")
    }
  }

  @Test func parsesTheCallGraphFormat() {
    let text = #"""
      graph: { title: "m.c"
      node: { title: "m.c:deeper" label: "deeper\nm.c:3:40\n352 bytes (static)" }
      node: { title: "tanhf" label: "tanhf\n/usr/include/newlib/math.h:348:14" shape : ellipse }
      edge: { sourcename: "m.c:deeper" targetname: "tanhf" label: "m.c:2:123" }
      node: { title: "m_step" label: "m_step\nm.c:7:7\n8 bytes (static)" }
      edge: { sourcename: "m_step" targetname: "m.c:deeper" label: "m.c:7:46" }
      node: { title: "m_indirect" label: "m_indirect\nm.c:10:6\n0 bytes (dynamic,bounded)" }
      node: { title: "memcpy" label: "__builtin_memcpy\n<built-in>" shape : ellipse }
      edge: { sourcename: "m_indirect" targetname: "memcpy" }
      node: { title: "__indirect_call" label: "Indirect Call Placeholder" shape : ellipse }
      edge: { sourcename: "m_indirect" targetname: "__indirect_call" label: "m.c:10:25" }
      }
      """#
    let graph = MemoryMeasurement.parseCallGraph(text)
    let usage = graph.stackUsage(frames: [])
    #expect(usage.map(\.name) == ["deeper", "m_indirect", "m_step"])
    #expect(usage[2].worstPath == 360)
    #expect(usage[2].unknownCallees == ["tanhf"])
    #expect(usage[1].qualifier == "dynamic,bounded")
    #expect(usage[1].unknownCallees == ["(indirect call)", "memcpy"])
  }

  @Test func parsesSizeOutput() {
    let berkeley = MemoryMeasurement.parseBerkeley(
      "   text\t   data\t    bss\t    dec\t    hex\tfilename\n    672\t      4\t     44\t    720\t    2d0\tm.o\n")
    #expect(berkeley.text == 672 && berkeley.data == 4 && berkeley.bss == 44)
    let sections = MemoryMeasurement.parseSections(
      "m.o  :\nsection            size   addr\n.text.f  120  0\n.rodata.W  400  0\nTotal 520\n")
    #expect(sections.map(\.name) == [".text.f", ".rodata.W"])
  }
}

/// Measuring the C lstmc generates for a real model.
@Suite struct GeneratedCMemoryTests {
  @Test(.enabled(if: CBuildSupport.hasArmCompiler))
  func measuresAGeneratedModel() throws {
    let url = FixtureFiles.keras.appendingPathComponent("k2_basic.fixture.json")
    let fixture = try Fixture(contentsOf: url)
    let model = try KerasImporter.importModel(at: try #require(fixture.modelURL))
    let inputs = try FixtureBinding.inputs(of: fixture, model: model)
    let expected = try Verifier.run(model: model, inputs: inputs, on: .interpreter)
    let files = try GeneratedCRun.generate(
      model: model, inputs: inputs, expected: expected, tolerance: .default, target: .cCortexM4)
    let folder = try CBuildSupport.scratch("memory-generated")
    defer { CBuildSupport.remove(folder) }
    for file in files { _ = try CBuildSupport.write(file.contents, to: file.name, in: folder) }
    let name = GeneratedCRun.programName
    let usage = try MemoryMeasurement.measure(
      sources: [folder.appendingPathComponent("\(name).c")], includeDirectories: [folder], workDirectory: folder)
    // 192 float32 parameters (k2_basic: LSTM 3→5 and Dense 5→2) live in read-only data.
    #expect(usage.readOnlyData >= 192 * 4)
    #expect(usage.data == 0)
    let predict = try #require(usage.stack(of: "\(name)_predict"), "\(usage.functions.map(\.name))")
    #expect(predict.worstPath >= predict.frame)
    #expect(predict.worstPath < 4096)
    #expect(!predict.isRecursive)
    // Library functions have no stack figure of their own; they are reported as unknown callees.
    // (The LSTM cell's sigmoid and tanh are lstmc's own, so no libm function is called here.)
    // (The Cortex-M4F layout copies no bias with memcpy; name_reset clears the state with memset.)
    #expect(predict.unknownCallees.contains("memset"))
    #expect(!predict.unknownCallees.contains("expf"))
  }
}
