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

  /// Whether `actual` is close enough to `expected`.
  public func accepts(_ actual: Double, expected: Double) -> Bool {
    Swift.abs(actual - expected) <= self.abs + rel * Swift.abs(expected)
  }
}
