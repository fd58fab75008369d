/// The element type of a model input or output.
public enum ElementType: String, Sendable, Codable {
  /// 32-bit IEEE float.
  case float32
  /// 32-bit signed integer (Embedding indices).
  case int32
}
