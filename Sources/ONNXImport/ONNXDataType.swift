/// ONNX `TensorProto.DataType` values lstmc knows.
public enum ONNXDataType: Int32, Sendable, CaseIterable {
  case undefined = 0
  case float = 1
  case uint8 = 2
  case int8 = 3
  case uint16 = 4
  case int16 = 5
  case int32 = 6
  case int64 = 7
  case string = 8
  case bool = 9
  case float16 = 10
  case double = 11
  case uint32 = 12
  case uint64 = 13
  case complex64 = 14
  case complex128 = 15
  case bfloat16 = 16

  /// The name ONNX uses in its documentation, lower-cased.
  public var name: String { "\(self)" }

  /// Bytes per element in `raw_data`, for the types lstmc decodes.
  var rawElementSize: Int? {
    switch self {
    case .float, .int32, .uint32: return 4
    case .double, .int64, .uint64: return 8
    case .float16, .bfloat16, .int16, .uint16: return 2
    case .int8, .uint8, .bool: return 1
    case .undefined, .string, .complex64, .complex128: return nil
    }
  }

  /// Whether the type holds floating-point values.
  public var isFloatingPoint: Bool { self == .float || self == .double || self == .float16 || self == .bfloat16 }
}
