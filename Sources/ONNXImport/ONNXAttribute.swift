/// A decoded node attribute.
public enum ONNXAttribute: Equatable, Sendable {
  case float(Float)
  case int(Int64)
  case string(String)
  case tensor(ONNXTensor)
  case floats([Float])
  case ints([Int64])
  case strings([String])
  /// A subgraph (Loop, If, Scan bodies); lstmc keeps only its node op types.
  case graph(ONNXGraph)
  /// An attribute kind lstmc does not read (its ONNX type number).
  case unsupported(Int32)

  /// The attribute as an integer, if it is one.
  public var int: Int64? {
    if case .int(let value) = self { return value }
    return nil
  }

  /// The attribute as a float (an integer converts), if it is one.
  public var float: Float? {
    switch self {
    case .float(let value): return value
    case .int(let value): return Float(value)
    default: return nil
    }
  }

  /// The attribute as a string, if it is one.
  public var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }
}
