import CanonicalModel
import Foundation
import Testing

@testable import Quantization

/// The fixed-point primitives against exact arithmetic: 128-bit products
/// (`multipliedFullWidth`) for requantization, exhaustive int16 sweeps against a
/// double-precision reference for sigmoid and tanh.
@Suite struct FixedPointTests {
  /// SplitMix64, so the millions of cases are the same on every run.
  struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func int32() -> Int32 { Int32(truncatingIfNeeded: next()) }
  }

  /// A signed 128-bit value as (high, low), ordered lexicographically.
  struct Wide: Comparable {
    var high: Int64
    var low: UInt64
    init(_ value: Int64) {
      high = value < 0 ? -1 : 0
      low = UInt64(bitPattern: value)
    }
    init(_ a: Int64, times b: Int64) {
      let product = a.multipliedFullWidth(by: b)
      high = product.high
      low = product.low
    }
    static func < (a: Wide, b: Wide) -> Bool { (a.high, a.low) < (b.high, b.low) }
  }

  /// Whether `r` is `x * M / 2^ts` rounded half up: `(2r - 1) 2^(ts-1) <= x M < (2r + 1) 2^(ts-1)`,
  /// or the saturated bound when the rounded value leaves int32.
  static func isExactRounding(_ r: Int32, x: Int32, multiplier: Int32, shift: Int32) -> Bool {
    let ts = Int64(31 - shift)
    let product = Wide(Int64(x) * Int64(multiplier))
    let half = Int64(1) << (ts - 1)
    let low = Wide(2 * Int64(r) - 1, times: half)
    let high = Wide(2 * Int64(r) + 1, times: half)
    if r == .max { return low <= product }
    if r == .min { return product < high }
    return low <= product && product < high
  }

  @Test func requantizationIsExactRoundHalfUpOverMillionsOfCases() {
    var random = Generator(state: 12)
    var saturated = 0
    for index in 0..<3_000_000 {
      var x = random.int32()
      switch index % 8 {
      case 0: x = [Int32.min, .max, 0, 1, -1, Int32.min + 1][index / 8 % 6]
      case 1: x >>= Int32(random.next() % 31)  // small magnitudes too
      default: break
      }
      let multiplier = index % 97 == 0 ? 0 : Int32(1 << 30) + Int32(truncatingIfNeeded: random.next() % (1 << 30))
      let shift = Int32(random.next() % 62) - 31
      let r = FixedPoint.multiply(x, by: multiplier, shift: shift)
      if r == .max || r == .min { saturated += 1 }
      guard Self.isExactRounding(r, x: x, multiplier: multiplier, shift: shift) else {
        Issue.record("multiply(\(x), by: \(multiplier), shift: \(shift)) = \(r) is not the exact rounding")
        return
      }
    }
    #expect(saturated > 1000, "the cases should exercise saturation")
  }

  @Test func halvesRoundUp() {
    // 3 * 2^30 / 2^31 = 1.5 -> 2; -3 * 2^30 / 2^31 = -1.5 -> -1 (towards +∞).
    #expect(FixedPoint.multiply(3, by: 1 << 30, shift: 0) == 2)
    #expect(FixedPoint.multiply(-3, by: 1 << 30, shift: 0) == -1)
    #expect(FixedPoint.roundingShiftRight(-3, 1) == -1)
    #expect(FixedPoint.roundingShiftRight(3, 1) == 2)
  }

  @Test func roundingShiftRightIsExact() {
    var random = Generator(state: 5)
    for _ in 0..<200_000 {
      let n = Int32(random.next() % 30) + 1
      let x = random.int32() >> 1  // |x| < 2^30, as the cell products are
      let r = FixedPoint.roundingShiftRight(x, n)
      // (2r - 1) 2^(n-1) <= x < (2r + 1) 2^(n-1), exactly in Int64.
      let half = Int64(1) << (n - 1)
      #expect((2 * Int64(r) - 1) * half <= Int64(x) && Int64(x) < (2 * Int64(r) + 1) * half)
    }
  }

  @Test func multiplierRepresentsTheScale() throws {
    var random = Generator(state: 9)
    for _ in 0..<100_000 {
      let scale = Double(random.next() % 1_000_000 + 1) / 1_000_000 * pow(2, Double(Int(random.next() % 60) - 31))
      let (multiplier, shift) = try FixedPoint.multiplier(for: scale)
      if multiplier == 0 {
        #expect(scale < pow(2, -32))
        continue
      }
      #expect(multiplier >= 1 << 30)
      let represented = Double(multiplier) * pow(2, Double(shift - 31))
      #expect(abs(represented - scale) <= scale * pow(2, -31))
    }
    #expect(try FixedPoint.multiplier(for: 0) == (0, 0))
    #expect(throws: QuantizationError.self) { try FixedPoint.multiplier(for: pow(2, 31)) }
    #expect(throws: QuantizationError.self) { try FixedPoint.multiplier(for: .nan) }
  }

  /// Largest error in Q0.15 LSB over every int16 input, and whether the table is monotonic.
  static func sweep(_ function: (Int16) -> Int16, _ reference: (Double) -> Double) -> (error: Double, monotonic: Bool) {
    var worst = 0.0
    var monotonic = true
    var previous = Int16.min
    for raw in Int32(Int16.min)...Int32(Int16.max) {
      let value = function(Int16(raw))
      worst = max(worst, abs(Double(value) - reference(Double(raw) / 4096) * 32768))
      if value < previous { monotonic = false }
      previous = value
    }
    return (worst, monotonic)
  }

  @Test func sigmoidOverEveryInt16() {
    let result = Self.sweep(FixedPoint.sigmoid) { 1 / (1 + exp(-$0)) }
    #expect(result.error <= 1.27, "sigmoid error \(result.error) LSB")
    #expect(result.monotonic)
  }

  @Test func tanhOverEveryInt16() {
    let result = Self.sweep(FixedPoint.tanh) { Foundation.tanh($0) }
    #expect(result.error <= 3.80, "tanh error \(result.error) LSB")
    #expect(result.monotonic)
  }

  @Test func tablesMatchTheirDefinition() {
    for k in 0...512 {
      let x = -8 + Double(k) / 32
      let sigmoid = min(32767, max(-32767, (1 / (1 + exp(-x)) * 32768 + 0.5).rounded(.down)))
      let tanh = min(32767, max(-32767, (Foundation.tanh(x) * 32768 + 0.5).rounded(.down)))
      #expect(Double(FixedPointTables.sigmoid[k]) == sigmoid, "sigmoid table entry \(k)")
      #expect(Double(FixedPointTables.tanh[k]) == tanh, "tanh table entry \(k)")
    }
  }

  @Test func cellToQ3_12() {
    #expect(FixedPoint.toQ3_12(32767, fractionBits: 15) == 4096)
    #expect(FixedPoint.toQ3_12(-16384, fractionBits: 14) == -4096)
    #expect(FixedPoint.toQ3_12(-16383, fractionBits: 14) == -4096)  // -4095.75 rounds half up to -4096
    #expect(FixedPoint.toQ3_12(4096, fractionBits: 12) == 4096)
    #expect(FixedPoint.toQ3_12(8192, fractionBits: 10) == Int16.max)  // 8.0 saturates
    #expect(FixedPoint.toQ3_12(-8192, fractionBits: 10) == Int16.min)
    #expect(FixedPoint.requantize(1 << 30, multiplier: 1 << 30, shift: 1, zeroPoint: 5, to: .int8) == 127)
  }

  /// Every int16 input of the hard sigmoid for Keras 2's slope (0.2), Keras 3's (1/6) and an
  /// ONNX-style one (alpha 0.35, beta 0.4): the result is the clamped exact round-half-up of
  /// `offset + x·M/2^(31-shift)` (128-bit check), and within 0.5 LSB (+1e-3 for the multiplier's
  /// 31-bit representation, + the offset's rounding to Q0.15) of the real `clamp(slope·x/4096 + offset, 0, 1)·32768`.
  @Test(arguments: [(Float(0.2), Float(0.5)), (Float(1.0 / 6.0), Float(0.5)), (Float(0.35), Float(0.4))])
  func hardSigmoidOverEveryInt16(slope: Float, offset: Float) throws {
    let activation = try #require(IntegerGateActivation(.hardSigmoid(slope: slope, offset: offset)))
    guard case .hardSigmoid(let multiplier, let shift, let offset15) = activation else {
      Issue.record("not a hard sigmoid: \(activation)")
      return
    }
    #expect(offset15 == Int32((Double(offset) * 32768).rounded()))
    var worst = 0.0
    for raw in Int32(Int16.min)...Int32(Int16.max) {
      let x = Int16(raw)
      let y = Int32(activation(x))
      let r = y - offset15
      // `multiply` is exact (tested above); at the clamps the unclamped value lies beyond them.
      let unclamped = Int64(offset15) + Int64(FixedPoint.multiply(raw, by: multiplier, shift: shift))
      if y == 0 {
        #expect(unclamped <= 0)
      } else if y == 32767 {
        #expect(unclamped >= 32767)
      } else {
        #expect(Self.isExactRounding(r, x: raw, multiplier: multiplier, shift: shift), "x = \(x)")
      }
      let real = min(max(Double(slope) * Double(x) / 4096 + Double(offset), 0), 1) * 32768
      worst = max(worst, abs(Double(y) - min(real, 32767)))
    }
    let offsetError = abs(Double(offset15) - Double(offset) * 32768)
    #expect(worst <= 0.501 + offsetError, "worst \(worst) LSB")
    #expect(activation(Int16.min) == 0)
    #expect(activation(Int16.max) == 32767)
  }

  @Test func gateActivationsWithoutAnIntegerForm() {
    #expect(IntegerGateActivation(.sigmoid) == .sigmoid)
    #expect(IntegerGateActivation(.hardSigmoid(slope: 0, offset: 0.5)) == nil)
    #expect(IntegerGateActivation(.hardSigmoid(slope: -0.2, offset: 0.5)) == nil)
    #expect(IntegerGateActivation(.hardSigmoid(slope: .infinity, offset: 0.5)) == nil)
    #expect(IntegerGateActivation(.hardSigmoid(slope: 0.2, offset: .nan)) == nil)
    #expect(IntegerGateActivation(.tanh) == nil)
    #expect(IntegerGateActivation(.softsign) == nil)
  }
}
