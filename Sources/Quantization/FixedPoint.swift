import CanonicalModel

/// The fixed-point primitives of integer inference, written once: the integer
/// reference runs on them and generated code mirrors them one to one.
///
/// - Rounding: every right shift rounds **half up** (towards +∞),
///   `(x + 2^(n-1)) >> n` with an arithmetic shift, as TensorFlow Lite's
///   single-rounding requantization (`TFLITE_SINGLE_ROUNDING`) does.
/// - Saturation: every narrowing clamps to the target type's range; no
///   arithmetic wraps.
/// - Requantization: ``multiply(_:by:shift:)`` computes
///   `round_half_up(x * M / 2^(31 - shift))` exactly with a 64-bit product,
///   then saturates to int32. `M` lies in `[2^30, 2^31)` (or is 0) and
///   `shift` in `-31...30`, so the product and the rounding term fit in 64 bits.
/// - Sigmoid and tanh take a Q3.12 int16 (real `x / 4096`, range [-8, 8)) and
///   return Q0.15 (real `y / 32768`): linear interpolation in a 513-entry table
///   (``FixedPointTables``), TensorFlow Lite's int16 `lut_lookup` arrangement.
///   Measured over every int16 input against a double-precision reference, the
///   error is at most 1.27 LSB (sigmoid) and 3.80 LSB (tanh) of Q0.15.
/// - Hard sigmoid (Keras' `hard_sigmoid`, ONNX `HardSigmoid`): Q3.12 in, Q0.15 out, one
///   requantizing multiply plus the offset, clamped to [0, 32767]
///   (``hardSigmoid(_:multiplier:shift:offset:)``); within one LSB of the exact value.
public enum FixedPoint {
  /// `round_half_up(x * multiplier / 2^(31 - shift))`, saturated to int32.
  @inline(__always)
  public static func multiply(_ x: Int32, by multiplier: Int32, shift: Int32) -> Int32 {
    let totalShift = Int64(31 - shift)
    let product = Int64(x) * Int64(multiplier) + (Int64(1) << (totalShift - 1))
    return saturate32(product >> totalShift)
  }

  /// The requantization of a 64-bit accumulator (scheme `int16x8_16`), TensorFlow Lite's
  /// `MultiplyByQuantizedMultiplier(int64_t, int32_t, int)`: the multiplier is first reduced to
  /// 15 bits, `m = M < 0x7FFF0000 ? (M + 2^15) >> 16 : 0x7FFF`, then
  /// `sat32((x * m + 2^(14 - shift)) >> (15 - shift))`, i.e. `round_half_up(x * m / 2^(15 - shift))`.
  ///
  /// Needs `shift <= 14` and `|x| < 2^47` (so `x * m` fits in 64 bits); ``IntegerSupport``
  /// bounds accumulators below 2^40 and the quantizer refuses larger shifts.
  @inline(__always)
  public static func multiplyWide(_ x: Int64, by multiplier: Int32, shift: Int32) -> Int32 {
    let reduced: Int64 = multiplier < 0x7FFF_0000 ? (Int64(multiplier) + (1 << 15)) >> 16 : 0x7FFF
    let totalShift = Int64(15 - shift)
    let product = x * reduced + (Int64(1) << (totalShift - 1))
    return saturate32(product >> totalShift)
  }

  /// The largest shift ``multiplyWide(_:by:shift:)`` takes.
  public static let maximumWideShift: Int32 = 14

  /// `zeroPoint + multiply(x, by: multiplier, shift: shift)`, saturated to `type`:
  /// an int32 accumulator requantized to an int8 or int16 value.
  @inline(__always)
  public static func requantize(
    _ x: Int32, multiplier: Int32, shift: Int32, zeroPoint: Int32, to type: IntegerElementType
  ) -> Int32 {
    let value = Int64(multiply(x, by: multiplier, shift: shift)) + Int64(zeroPoint)
    return saturate(Int32(clamping: value), to: type)
  }

  /// `round_half_up(x / 2^n)` for `n >= 1` (no overflow for |x| < 2^31 - 2^(n-1)).
  @inline(__always)
  public static func roundingShiftRight(_ x: Int32, _ n: Int32) -> Int32 {
    Int32((Int64(x) + (Int64(1) << (n - 1))) >> n)
  }

  /// `x` clamped to int32.
  @inline(__always)
  public static func saturate32(_ x: Int64) -> Int32 {
    Int32(clamping: x)
  }

  /// `x` clamped to int16.
  @inline(__always)
  public static func saturate16(_ x: Int32) -> Int16 {
    Int16(clamping: x)
  }

  /// `x` clamped to `type`'s range.
  @inline(__always)
  public static func saturate(_ x: Int32, to type: IntegerElementType) -> Int32 {
    Swift.min(Swift.max(x, type.range.lowerBound), type.range.upperBound)
  }

  /// The logistic function, Q3.12 in, Q0.15 out.
  @inline(__always)
  public static func sigmoid(_ x: Int16) -> Int16 { lookup(x, FixedPointTables.sigmoid) }

  /// The hyperbolic tangent, Q3.12 in, Q0.15 out.
  @inline(__always)
  public static func tanh(_ x: Int16) -> Int16 { lookup(x, FixedPointTables.tanh) }

  /// The hard sigmoid, Q3.12 in, Q0.15 out:
  /// `clamp(offset + multiply(x, by: multiplier, shift: shift), 0, 32767)`, with
  /// `multiplier·2^(shift-31)` representing `8·slope` (see ``IntegerGateActivation``).
  /// Every intermediate fits: `multiply` saturates to int32 and the sum is taken in 64 bits.
  @inline(__always)
  public static func hardSigmoid(_ x: Int16, multiplier: Int32, shift: Int32, offset: Int32) -> Int16 {
    let value = Int64(offset) + Int64(multiply(Int32(x), by: multiplier, shift: shift))
    return Int16(Swift.min(Swift.max(value, 0), 32767))
  }

  /// Table interpolation: `base + round_half_up(slope * offset / 128)`, with
  /// `index = (x + 32768) >> 7` and `offset = x & 127`.
  @inline(__always)
  static func lookup(_ x: Int16, _ table: [Int16]) -> Int16 {
    let value = Int32(x)
    let index = Int((value + 32768) >> 7)
    let offset = value & 0x7f
    let base = Int32(table[index])
    let slope = Int32(table[index + 1]) - base
    return Int16(base + ((slope * offset + 64) >> 7))
  }

  /// A Q(15-`fractionBits`).`fractionBits` int16 converted to Q3.12, saturating.
  @inline(__always)
  public static func toQ3_12(_ x: Int16, fractionBits: Int) -> Int16 {
    if fractionBits > 12 { return Int16(roundingShiftRight(Int32(x), Int32(fractionBits - 12))) }
    return saturate16(Int32(x) << Int32(12 - fractionBits))
  }

  /// The multiplier and shift that represent a positive real `scale` for
  /// ``multiply(_:by:shift:)``: `scale ≈ multiplier * 2^(shift - 31)` with the
  /// multiplier in `[2^30, 2^31)`. Scales below `2^-32` give `(0, 0)`.
  ///
  /// Float arithmetic: used only when a model is quantized, never during inference.
  public static func multiplier(for scale: Double) throws -> (multiplier: Int32, shift: Int32) {
    guard scale.isFinite, scale >= 0 else { throw QuantizationError.scaleOutOfRange(scale) }
    if scale == 0 { return (0, 0) }
    var exponent = Int(scale.exponent) + 1  // scale = fraction * 2^exponent, fraction in [0.5, 1)
    var fraction = (scale.significand / 2 * 2_147_483_648).rounded()
    if fraction == 2_147_483_648 {
      fraction /= 2
      exponent += 1
    }
    if exponent < -31 { return (0, 0) }
    guard exponent <= 30 else { throw QuantizationError.scaleOutOfRange(scale) }
    return (Int32(fraction), Int32(exponent))
  }
}
