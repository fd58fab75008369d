/// A declared graph input, output or intermediate value.
public struct ONNXValueInfo: Equatable, Sendable {
  /// The value's name.
  public var name: String
  /// Its element type, when declared as a tensor.
  public var elementType: ONNXDataType?
  /// Its shape, when declared.
  public var shape: [ONNXDimension]?

  /// Creates a value description.
  public init(name: String, elementType: ONNXDataType?, shape: [ONNXDimension]?) {
    self.name = name
    self.elementType = elementType
    self.shape = shape
  }
}
