/// The affine map between a real value and its integer code, `real = scale * (q - zeroPoint)`,
/// with the real range calibration observed.
public struct QuantizationParameters: Equatable, Sendable, Codable {
  /// The real value of one integer step.
  public var scale: Float
  /// The integer that represents real zero.
  public var zeroPoint: Int32
  /// The smallest real value calibration observed.
  public var minimum: Float
  /// The largest real value calibration observed.
  public var maximum: Float

  /// Creates parameters; see the properties.
  public init(scale: Float, zeroPoint: Int32, minimum: Float, maximum: Float) {
    self.scale = scale
    self.zeroPoint = zeroPoint
    self.minimum = minimum
    self.maximum = maximum
  }
}
