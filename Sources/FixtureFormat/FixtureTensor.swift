/// One named tensor of a fixture; values are kept as doubles so that float64
/// and int64 data survive reading unchanged.
public struct FixtureTensor: Equatable, Sendable {
  /// The tensor's name.
  public var name: String
  /// The declared element type.
  public var elementType: FixtureElementType
  /// The shape, batch first.
  public var shape: [Int]
  /// The elements, row-major.
  public var values: [Double]

  /// Creates a fixture tensor.
  public init(name: String, elementType: FixtureElementType, shape: [Int], values: [Double]) {
    self.name = name
    self.elementType = elementType
    self.shape = shape
    self.values = values
  }
}
