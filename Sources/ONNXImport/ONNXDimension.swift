/// One dimension of a declared value shape.
public enum ONNXDimension: Equatable, Sendable {
  /// A fixed extent.
  case value(Int)
  /// A named, dynamic extent (e.g. `batch`, `seq`).
  case parameter(String)
  /// Unknown.
  case unknown

  /// The fixed extent, if any.
  public var fixed: Int? {
    if case .value(let value) = self { return value }
    return nil
  }
}
