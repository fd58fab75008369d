import CanonicalModel

/// The integer form of a recurrent layer's gate activation (LSTM `i, f, o`; GRU update and reset):
/// Q3.12 int16 in, Q0.15 int16 out.
///
/// - ``sigmoid``: the logistic function by table interpolation (``FixedPoint/sigmoid(_:)``).
/// - ``hardSigmoid(multiplier:shift:offset:)``: `clamp(slope·x + offset, 0, 1)` as
///   `clamp(offset15 + multiply(x, by: multiplier, shift: shift), 0, 32767)`
///   (``FixedPoint/hardSigmoid(_:multiplier:shift:offset:)``), where `multiplier·2^(shift-31)`
///   represents `8·slope` (Q3.12 to Q0.15 is a factor 8) and `offset15 = round(32768·offset)`.
///   Keras 2's `hard_sigmoid` (slope 0.2), Keras 3's (1/6) and ONNX `HardSigmoid(alpha, beta)`.
///   The constants are derived from the model's float slope and offset with ``init(_:)``, once,
///   the same way in the reference and in every generator.
public enum IntegerGateActivation: Equatable, Sendable {
  case sigmoid
  case hardSigmoid(multiplier: Int32, shift: Int32, offset: Int32)

  /// The integer form of `activation`, or `nil` where it has none (anything but `sigmoid` and a
  /// `hard_sigmoid` with a positive, finite slope and a finite offset).
  public init?(_ activation: Activation) {
    switch activation {
    case .sigmoid: self = .sigmoid
    case .hardSigmoid(let slope, let offset):
      guard slope > 0, slope.isFinite, offset.isFinite,
        let (multiplier, shift) = try? FixedPoint.multiplier(for: 8 * Double(slope)), multiplier != 0
      else { return nil }
      let offset15 = (Double(offset) * 32768).rounded()
      self = .hardSigmoid(
        multiplier: multiplier, shift: shift, offset: Int32(clamping: Int64(max(-1e12, min(1e12, offset15)))))
    default: return nil
    }
  }

  /// The activation of a Q3.12 pre-activation, Q0.15.
  @inline(__always)
  public func callAsFunction(_ x: Int16) -> Int16 {
    switch self {
    case .sigmoid: return FixedPoint.sigmoid(x)
    case .hardSigmoid(let multiplier, let shift, let offset):
      return FixedPoint.hardSigmoid(x, multiplier: multiplier, shift: shift, offset: offset)
    }
  }
}
