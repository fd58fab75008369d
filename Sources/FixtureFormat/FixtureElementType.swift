/// The element types a fixture tensor may declare (`lstmc-fixture-1`).
public enum FixtureElementType: String, Sendable, Codable, CaseIterable {
  case float16, float32, float64, int32, int64

  /// Whether the type holds integers.
  public var isInteger: Bool { self == .int32 || self == .int64 }
}
