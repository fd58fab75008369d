import CanonicalModel
import CodeGen
import Foundation
import KerasImport
import Testing

@testable import Benchmark
@testable import Targets

/// The instruction counting of `lstmc bench --target c-cortex-m4|c-cortex-m3`, checked against
/// loops whose instructions are counted by hand.
@Suite struct QemuInstructionCounterTests {
  /// `subs` and `bne` per iteration, in Thumb-2 assembly, so the compiler cannot change the loop.
  static let loop = """
    #ifndef ITERATIONS
    #define ITERATIONS 1
    #endif
    int main(void) {
        __asm volatile(
            "    ldr r0, =%c0\\n"
            "1:  subs r0, r0, #1\\n"
            "    bne 1b\\n"
            : : "i"(ITERATIONS) : "r0", "cc");
        return 0;
    }
    """

  @Test(.enabled(if: CBuildSupport.canRunCortexM), arguments: CBuildSupport.emulated)
  func aHandCountedLoopCostsTwoInstructionsPerIteration(target: CTarget) throws {
    let folder = try CBuildSupport.scratch("qemu-count")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write(Self.loop, to: "loop.c", in: folder)
    let runner = CProgramRunner(target: target)
    let counter = try QemuInstructionCounter(target: target)
    var counts: [Int] = []
    for iterations in [10, 110, 1110] {
      let program = try runner.build(
        sources: [source], defines: ["ITERATIONS=\(iterations)"], workDirectory: folder, name: "loop\(iterations)")
      counts.append(try counter.count(executable: program, program: "loop"))
    }
    // Start-up and exit are the same in every build; each iteration is exactly two instructions.
    #expect(counts[1] - counts[0] == 200)
    #expect(counts[2] - counts[1] == 2000)
    #expect(counts[0] > 20)
  }

  @Test func traceLinesAreCountedAcrossChunks() {
    var counter = TraceLineCounter()
    for chunk in ["Trace 0: a\nTra", "ce 0: b\nNot a Trace\nTrace", "\nTr", "x\n\nTrace 1"] {
      counter.consume(Data(chunk.utf8))
    }
    #expect(counter.lines == 4)
  }

  @Test(.enabled(if: CBuildSupport.canRunCortexM))
  func aFailingProgramIsAnError() throws {
    let folder = try CBuildSupport.scratch("qemu-count-fail")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write("int main(void) { return 7; }\n", to: "fail.c", in: folder)
    let program = try CProgramRunner(target: .cortexM4).build(sources: [source], workDirectory: folder, name: "fail")
    #expect(throws: BenchmarkError.self) {
      _ = try QemuInstructionCounter(target: .cortexM4).count(executable: program, program: "fail")
    }
  }

  /// A run the watchdog stops is an error, not a short count: qemu exits 0 on SIGTERM, so before the
  /// fix a killed run's truncated trace was returned as the count.
  @Test(.enabled(if: CBuildSupport.canRunCortexM))
  func aRunStoppedByTheTimeoutIsAnErrorNotACount() throws {
    let folder = try CBuildSupport.scratch("qemu-count-timeout")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write(Self.loop, to: "loop.c", in: folder)
    let program = try CProgramRunner(target: .cortexM4).build(
      sources: [source], defines: ["ITERATIONS=2000000000"], workDirectory: folder, name: "endless")
    var counter = try QemuInstructionCounter(target: .cortexM4)
    counter.timeout = 1
    #expect(throws: CProgramError.self) { _ = try counter.count(executable: program, program: "endless") }
  }

  /// The Cortex-M bench of a small LSTM. On the M4F fast math is branch-free, so every step costs the
  /// same; the M3's soft-float routines take data-dependent paths. Step and predict agree, and both
  /// do more than one instruction per multiply-add of the floor (soft float: far more).
  @Test(.enabled(if: CBuildSupport.canRunCortexM))
  func aSmallLSTMIsCountedOnBothCores() throws {
    let url = FixtureFiles.fixtures.appendingPathComponent("bench/lstm_8x8.h5")
    let model = try KerasImporter.importModel(at: url)
    for target in CBuildSupport.emulated {
      let report = try MCUBenchmarkRunner(target: target, math: .fast, steps: (1, 3)).run(model, modelPath: "m.h5")
      #expect(report.floor.macsPerStep == 4 * 8 * (8 + 8))
      let step = try #require(report.instructions.step)
      if target == .cortexM4 { #expect(step == step.rounded(), "hard-float fast math has no data-dependent branches") }
      #expect(report.instructionsPerMAC > 1 && report.instructionsPerMAC < (target == .cortexM4 ? 50 : 400))
      #expect(abs(report.instructions.predict - step) < 0.2 * step)
      #expect(report.memory.code > 0 && report.memory.readOnlyData >= 512 * 4)
      #expect(report.memory.stackStep != nil && report.memory.stackPredict != nil)
      #expect(report.instructions.totals.count == 4)
    }
  }

  /// The same for the generated Embedded Swift on the Cortex-M4F.
  @Test(.enabled(if: CBuildSupport.canRunCortexM && SwiftTargetFixtureTests.hasSwiftc))
  func embeddedSwiftIsCounted() throws {
    let url = FixtureFiles.fixtures.appendingPathComponent("bench/lstm_8x8.h5")
    let model = try KerasImporter.importModel(at: url)
    let report = try MCUBenchmarkRunner(target: .cortexM4, language: .swift, math: .fast).run(model, modelPath: "m.h5")
    #expect(report.target == "swift-cortex-m4")
    // -Osize compiles the clamps in the activations to branches: counts depend a little on the values.
    let step = try #require(report.instructions.step)
    #expect(report.instructionsPerMAC > 1 && report.instructionsPerMAC < 50)
    #expect(abs(report.instructions.predict - step) < 0.2 * step)
    #expect(report.memory.code > 0 && report.memory.stackStep == nil)
  }
}
