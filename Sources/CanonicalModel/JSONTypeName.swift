import Foundation

/// Names the JSON type of a value `JSONSerialization` produced, for one-line
/// messages about a key of the wrong type ("dtype is a number").
public enum JSONTypeName {
  /// "a string", "a number", "a boolean", "a list", "an object" or "null".
  public static func of(_ value: Any) -> String {
    switch value {
    case is String: return "a string"
    case let number as NSNumber:
      return type(of: number) == type(of: NSNumber(value: true)) ? "a boolean" : "a number"
    case is [Any]: return "a list"
    case is [String: Any]: return "an object"
    case is NSNull: return "null"
    default: return "of an unknown JSON type"
    }
  }
}
