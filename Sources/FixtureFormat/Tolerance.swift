/// The acceptance test for one element: `|actual - expected| <= abs + rel * |expected|`.
public struct Tolerance: Equatable, Sendable, Codable {
  /// The absolute part.
  public var abs: Double
  /// The relative part.
  public var rel: Double

  /// Creates a tolerance.
  public init(abs: Double, rel: Double) {
    self.abs = abs
    self.rel = rel
  }

  /// lstmc's default when neither the fixture nor the command line gives one.
  public static let `default` = Tolerance(abs: 1e-5, rel: 1e-4)

  /// The default for a quantized model against a float fixture: `|q - f| <= 0.05 + 0.05 |f|`.
  /// An int8 step is 1/255 of a value's calibrated range, and a sound int8x8_16 model stays
  /// within a few steps; a wrong gate, scale or shift misses by far more.
  public static let quantized = Tolerance(abs: 0.05, rel: 0.05)

  /// Whether `actual` is close enough to `expected`.
  public func accepts(_ actual: Double, expected: Double) -> Bool {
    Swift.abs(actual - expected) <= self.abs + rel * Swift.abs(expected)
  }
}
