import Foundation

/// A parsed JSON value, for reading Keras configs whose shape varies between versions.
///
/// Numbers are `Double`; JSON5 is accepted so that Python's `NaN` and
/// `Infinity` (which `json.dumps` writes) parse.
enum JSONValue: Equatable, Sendable, Decodable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  /// Parses `data` as JSON (JSON5 allowed); the bytes must be valid UTF-8.
  static func parse(_ data: Data) throws -> JSONValue {
    // Foundation's JSON5 scanner traps on malformed UTF-8 instead of throwing.
    guard String(data: data, encoding: .utf8) != nil else {
      throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not valid UTF-8"))
    }
    let decoder = JSONDecoder()
    decoder.allowsJSON5 = true
    return try decoder.decode(JSONValue.self, from: data)
  }

  /// The member `key` of an object, or `nil`.
  subscript(key: String) -> JSONValue? {
    if case .object(let members) = self { return members[key] }
    return nil
  }

  /// The string, or `nil`.
  var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The number, or `nil`.
  var number: Double? {
    if case .number(let value) = self { return value }
    return nil
  }

  /// The number as an exact integer, or `nil`.
  var int: Int? {
    guard let number, number.rounded() == number, abs(number) < 1e15 else { return nil }
    return Int(number)
  }

  /// The Boolean, or `nil`.
  var bool: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  /// The elements of an array, or `nil`.
  var array: [JSONValue]? {
    if case .array(let values) = self { return values }
    return nil
  }

  /// The members of an object, or `nil`.
  var object: [String: JSONValue]? {
    if case .object(let members) = self { return members }
    return nil
  }

  /// Whether the value is `null`.
  var isNull: Bool { self == .null }

  /// A short rendering for messages (strings unquoted).
  var summary: String {
    switch self {
    case .null: return "null"
    case .bool(let value): return String(value)
    case .number(let value): return value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    case .string(let value): return value
    case .array(let values): return "[" + values.map(\.summary).joined(separator: ", ") + "]"
    case .object(let members): return "{" + members.keys.sorted().joined(separator: ", ") + "}"
    }
  }
}
