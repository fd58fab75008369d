import Foundation
import Testing

@testable import Quantization

/// `FixedPoint.multiplyWide` (the 64-bit accumulator requantization of `int16x8_16`) against
/// exact 128-bit arithmetic over millions of cases in its documented domain.
@Suite struct MultiplyWideTests {
  typealias Generator = FixedPointTests.Generator
  typealias Wide = FixedPointTests.Wide

  /// TensorFlow Lite's 15-bit reduction of a multiplier in `[2^30, 2^31)`.
  static func reduced(_ multiplier: Int32) -> Int64 {
    multiplier < 0x7FFF_0000 ? (Int64(multiplier) + (1 << 15)) >> 16 : 0x7FFF
  }

  @Test func isExactRoundHalfUpOfTheReducedMultiplier() {
    var random = Generator(state: 31)
    var saturated = 0
    for index in 0..<2_000_000 {
      // |x| < 2^47, with small magnitudes and the extremes too.
      var x = Int64(bitPattern: random.next()) >> 17
      switch index % 8 {
      case 0: x = [Int64(1) << 47 - 1, -(Int64(1) << 47), 0, 1, -1][index / 8 % 5]
      case 1: x >>= Int64(random.next() % 47)
      default: break
      }
      let multiplier =
        index % 89 == 0 ? Int32.max : Int32(1 << 30) + Int32(truncatingIfNeeded: random.next() % (1 << 30))
      let shift = Int32(random.next() % 46) - 31  // -31...14
      let r = FixedPoint.multiplyWide(x, by: multiplier, shift: shift)
      if r == .max || r == .min { saturated += 1 }
      // (2r - 1) 2^(ts-1) <= x m < (2r + 1) 2^(ts-1), ts = 15 - shift, in 128 bits.
      let half = Int64(1) << (14 - shift)
      let product = Wide(x, times: Self.reduced(multiplier))
      let low = Wide(2 * Int64(r) - 1, times: half)
      let high = Wide(2 * Int64(r) + 1, times: half)
      let exact = r == .max ? low <= product : r == .min ? product < high : low <= product && product < high
      guard exact else {
        Issue.record("multiplyWide(\(x), by: \(multiplier), shift: \(shift)) = \(r) is not the exact rounding")
        return
      }
    }
    #expect(saturated > 1000, "the cases should exercise saturation")
  }

  @Test func theReducedMultiplierKeepsFifteenBits() {
    var random = Generator(state: 4)
    for _ in 0..<100_000 {
      let multiplier = Int32(1 << 30) + Int32(truncatingIfNeeded: random.next() % (1 << 30))
      // Within half a step of 2^16, or the clamp at 0x7FFF for the top 2^16 multipliers.
      let error = abs(Self.reduced(multiplier) << 16 - Int64(multiplier))
      #expect(error <= 1 << 15 || multiplier >= 0x7FFF_0000)
    }
    // Halves round up; the same value reduces to the same 15 bits whatever the low bits.
    #expect(FixedPoint.multiplyWide(3, by: 1 << 30, shift: 0) == 2)
    #expect(FixedPoint.multiplyWide(-3, by: 1 << 30, shift: 0) == -1)
    #expect(FixedPoint.multiplyWide(1 << 40, by: 1 << 30, shift: 14) == Int32.max)
    #expect(FixedPoint.multiplyWide(100, by: 0x7FFF_FFFF, shift: 0) == 100)
  }
}
