import CanonicalModel
import Foundation
import Testing

@testable import Verification

@Suite struct BenchmarkTests {
  @Test func timingTakesMedianMinAndMaxPerStep() throws {
    let odd = try #require(BenchmarkTiming(runTotals: [300, 100, 200], steps: 10))
    #expect(odd.medianNanoseconds == 20 && odd.minNanoseconds == 10 && odd.maxNanoseconds == 30 && odd.runs == 3)
    let even = try #require(BenchmarkTiming(runTotals: [400, 100, 200, 300], steps: 100))
    #expect(even.medianNanoseconds == 2.5)
    #expect(BenchmarkTiming(runTotals: [], steps: 10) == nil)
    #expect(BenchmarkTiming(runTotals: [1], steps: 0) == nil)
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

  @Test func callgrindTotalIsRead() {
    #expect(CallgrindCounter.parseTotal("events: Ir\nfl=x\n0 3\nsummary: 123456\n") == 123456)
    #expect(CallgrindCounter.parseTotal("events: Ir\ntotals: 77\n") == 77)
    #expect(CallgrindCounter.parseTotal("events: Ir\n") == nil)
  }
}
