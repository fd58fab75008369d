/// A named model input.
public struct ModelInput: Equatable, Sendable, Codable {
  /// The input's name, as the source framework named it.
  public var name: String
  /// Its element type.
  public var elementType: ElementType
  /// Its shape, batch first; `nil` marks a dimension fixed only at run time.
  /// A float sequence input is `[batch, time, features]`, an index input `[batch, time]`.
  public var shape: [Int?]

  /// Creates an input description.
  public init(name: String, elementType: ElementType, shape: [Int?]) {
    self.name = name
    self.elementType = elementType
    self.shape = shape
  }
}
