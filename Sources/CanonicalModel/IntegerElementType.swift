/// The element type of an ``IntegerTensor``, as stored in `.safetensors` (`I8`, `I16`, `I32`).
public enum IntegerElementType: String, Sendable, Codable, CaseIterable {
  /// Signed 8-bit (safetensors `I8`).
  case int8
  /// Signed 16-bit (safetensors `I16`).
  case int16
  /// Signed 32-bit (safetensors `I32`).
  case int32

  /// Bytes per element.
  public var byteWidth: Int {
    switch self {
    case .int8: return 1
    case .int16: return 2
    case .int32: return 4
    }
  }

  /// The safetensors dtype name.
  public var dtype: String {
    switch self {
    case .int8: return "I8"
    case .int16: return "I16"
    case .int32: return "I32"
    }
  }

  /// The type whose safetensors dtype is `dtype`, if any.
  public init?(dtype: String) {
    guard let type = Self.allCases.first(where: { $0.dtype == dtype }) else { return nil }
    self = type
  }

  /// The values this type can hold.
  public var range: ClosedRange<Int32> {
    switch self {
    case .int8: return -128...127
    case .int16: return -32768...32767
    case .int32: return Int32.min...Int32.max
    }
  }
}
