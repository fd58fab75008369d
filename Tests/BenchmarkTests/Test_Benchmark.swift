import CanonicalModel
import Foundation
import Testing

@testable import Benchmark
@testable import Targets

@Suite struct BenchmarkTests {
  @Test func timingTakesMedianMinAndMaxPerStep() throws {
    let odd = try #require(BenchmarkTiming(runTotals: [300, 100, 200], steps: 10))
    #expect(odd.medianNanoseconds == 20 && odd.minNanoseconds == 10 && odd.maxNanoseconds == 30 && odd.runs == 3)
    let even = try #require(BenchmarkTiming(runTotals: [400, 100, 200, 300], steps: 100))
    #expect(even.medianNanoseconds == 2.5)
    #expect(BenchmarkTiming(runTotals: [], steps: 10) == nil)
    #expect(BenchmarkTiming(runTotals: [1], steps: 0) == nil)
  }

  /// The harness's `ns WALL CPU DELAY` lines: on-CPU times summarised, the wall median kept, runs
  /// with a positive run-queue delay counted as preempted (unknown when any delay is -1).
  @Test func harnessRunsAreSummarisedOnCPUTime() throws {
    let lines = ["ns 500 300 0", "ns 900 100 4000", "ns 700 200 0", "noise", "ns 1 2"]
    let runs = lines.compactMap { BenchmarkTiming.Run(line: Substring($0)) }
    #expect(runs.count == 3)
    let timing = try #require(BenchmarkTiming(runs: runs, steps: 10))
    #expect(timing.medianNanoseconds == 20 && timing.minNanoseconds == 10 && timing.maxNanoseconds == 30)
    #expect(timing.wallMedianNanoseconds == 70 && timing.clock == "thread_cpu" && timing.preemptedRuns == 1)
    let unknown = try #require(
      BenchmarkTiming(runs: ["ns 5 5 -1", "ns 5 5 0"].compactMap { .init(line: Substring($0)) }, steps: 1))
    #expect(unknown.preemptedRuns == nil)
  }

  /// `read BYTES PASSES NANOSECONDS`: bandwidth = BYTES x PASSES / NANOSECONDS, floor = weight bytes over it.
  @Test func memoryFloorIsTheWeightBytesAtTheMeasuredBandwidth() throws {
    let floor = try #require(MemoryFloor.parse("peak 32 1 1\nread 4096 1000 40960\nchecksum 1\n", weightBytes: 4000))
    #expect(floor.bytesPerNanosecond == 100 && floor.bufferBytes == 4096 && floor.nanosecondsPerStep == 40)
    #expect(MemoryFloor.parse("peak 32 1 1\n", weightBytes: 10) == nil)
  }

  @Test func peakKeepsTheFastestKernel() throws {
    let output = "peak 32 3200 100\npeak 64 6400 50\nnoise\npeak 128 12800 400\nchecksum 3\n"
    let peak = try MultiplyAddPeak.parse(output, cflags: ["-O3"])
    #expect(peak.lanes == 64 && peak.macsPerNanosecond == 128 && peak.gflops == 256)
    #expect(throws: BenchmarkError.self) { try MultiplyAddPeak.parse("checksum 1\n", cflags: []) }
  }

  /// 4·H·(I+H) per LSTM direction, 3·H·(I+H) per GRU direction, summed over a mixed stack.
  @Test func theFloorCountsThreeGateBlocksPerGRUDirection() throws {
    func gate(_ hidden: Int, _ input: Int) -> GateWeights {
      GateWeights(W: Tensor(shape: [hidden, input]), U: Tensor(shape: [hidden, hidden]), b: Tensor(shape: [hidden]))
    }
    func gru(_ input: Int, _ hidden: Int, _ direction: Direction = .forward) -> GRULayer {
      GRULayer(
        inputSize: input, hiddenSize: hidden, direction: direction, returnSequences: true,
        weights: GRUWeights(
          update: gate(hidden, input), reset: gate(hidden, input), candidate: gate(hidden, input),
          candidateRecurrentBias: Tensor(shape: [hidden])))
    }
    let lstm = LSTMLayer(
      inputSize: 10, hiddenSize: 6, returnSequences: false,
      weights: LSTMWeights(input: gate(6, 10), forget: gate(6, 10), cell: gate(6, 10), output: gate(6, 10)))
    let model = Model(
      inputs: [ModelInput(name: "x", elementType: .float32, shape: [nil, nil, 32])],
      layers: [
        Layer(name: "gru", kind: .gru(gru(32, 64))),
        Layer(
          name: "bi",
          kind: .bidirectional(
            BidirectionalLayer(forward: gru(64, 5), backward: gru(64, 5, .backward), mergeMode: .concat))),
        Layer(name: "lstm", kind: .lstm(lstm)),
      ], outputs: [ModelOutput(name: "y", layer: 2)], source: ModelSource(format: "test", framework: "test", file: "x"))
    let floor = RecurrentFloor(model: model)
    #expect(floor.terms.map(\.macs) == [3 * 64 * (32 + 64), 3 * 5 * 69, 3 * 5 * 69, 4 * 6 * 16])
    #expect(floor.terms.map(\.cell) == ["GRU", "GRU", "GRU", "LSTM"])
    #expect(floor.macsPerStep == 18432 + 2 * 1035 + 384)
    #expect(floor.worked == "3*64*(32+64) + 3*5*(64+5) + 3*5*(64+5) + 4*6*(10+6) = 20886 multiply-adds per step")
    #expect(RecurrentFloor.formula.contains("3*H*(I+H) (GRU)"))
  }

  /// Counting only inside named functions: a program whose `model_step` runs a loop and whose `main`
  /// does much more work around it; the toggled count is the function's alone, the full count is not.
  @Test(.enabled(if: CallgrindCounter.located() != nil, "valgrind is not installed"))
  func callgrindCountsOnlyInsideTheNamedFunctions() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-callgrind-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let source = folder.appendingPathComponent("toggle.c")
    try """
    #include <stdio.h>
    #include <stdlib.h>
    volatile unsigned sink;
    void model_step(unsigned n) { unsigned i; for (i = 0; i < n; i++) sink += i; }
    int main(int argc, char **argv) {
        unsigned i, n = (unsigned)atoi(argv[1]);
        for (i = 0; i < 200000u; i++) sink ^= i * 7u;
        model_step(n);
        printf("%u\\n", sink);
        return 0;
    }
    """.write(to: source, atomically: true, encoding: .utf8)
    let program = try CProgramRunner(target: .host).build(
      sources: [source], extraFlags: ["-O1"], workDirectory: folder, name: "toggle")
    let counter = try #require(CallgrindCounter.located())
    func count(_ n: Int, only: [String]) throws -> Int {
      try #require(
        try counter.instructions(
          executable: program, arguments: [String(n)], in: folder, label: "c\(n)-\(only.count)", onlyIn: only))
    }
    let inside = try count(10_000, only: ["model_step"])
    let everything = try count(10_000, only: [])
    // The loop is a few instructions per iteration; main's own loop adds 200,000 iterations more.
    #expect(inside >= 2 * 10_000 && inside <= 8 * 10_000 + 100, "\(inside)")
    #expect(everything > inside + 2 * 200_000, "\(everything) vs \(inside)")
    // Per-iteration difference of two lengths: what bench computes per step.
    let perIteration = Double(try count(20_000, only: ["model_step"]) - inside) / 10_000
    #expect(perIteration >= 2 && perIteration <= 8)
  }

  @Test func callgrindTotalIsRead() {
    #expect(CallgrindCounter.parseTotal("events: Ir\nfl=x\n0 3\nsummary: 123456\n") == 123456)
    #expect(CallgrindCounter.parseTotal("events: Ir\ntotals: 77\n") == 77)
    #expect(CallgrindCounter.parseTotal("events: Ir\n") == nil)
  }
}
