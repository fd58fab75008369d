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

  @Test func callgrindTotalIsRead() {
    #expect(CallgrindCounter.parseTotal("events: Ir\nfl=x\n0 3\nsummary: 123456\n") == 123456)
    #expect(CallgrindCounter.parseTotal("events: Ir\ntotals: 77\n") == 77)
    #expect(CallgrindCounter.parseTotal("events: Ir\n") == nil)
  }
}
