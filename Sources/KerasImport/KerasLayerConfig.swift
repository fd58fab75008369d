/// One layer entry of a Keras model config: its class, name, settings and calls.
struct KerasLayerConfig: Equatable, Sendable {
  /// The Keras class, e.g. `LSTM`, `Bidirectional`, `NotEqual`.
  var className: String
  /// The layer's name (unique within the model).
  var name: String
  /// The layer's `config` object.
  var config: JSONValue
  /// The layer's calls in a Functional model (empty in a Sequential one).
  var nodes: [KerasNode]

  /// Parses one entry of a model's `layers` list (or a wrapped layer such as
  /// Bidirectional's `layer`); `fallbackName` is used when the entry has no name.
  init(_ entry: JSONValue, fallbackName: String? = nil) throws {
    guard let className = entry["class_name"]?.string else {
      throw KerasImportError.invalidConfig("a layer entry has no 'class_name'")
    }
    let config = entry["config"] ?? .object([:])
    guard let name = config["name"]?.string ?? entry["name"]?.string ?? fallbackName else {
      throw KerasImportError.invalidConfig("a \(className) layer has no 'name'")
    }
    self.className = className
    self.name = name
    self.config = config
    var nodes: [KerasNode] = []
    for node in entry["inbound_nodes"]?.array ?? [] {
      guard let parsed = KerasNode(node) else {
        throw KerasImportError.invalidConfig("layer '\(name)' (\(className)) has an unreadable 'inbound_nodes' entry")
      }
      nodes.append(parsed)
    }
    self.nodes = nodes
  }

  /// The setting `key`, or `nil` when absent or `null`.
  func value(_ key: String) -> JSONValue? {
    guard let value = config[key], !value.isNull else { return nil }
    return value
  }

  /// A Boolean setting; `fallback` when absent.
  func bool(_ key: String, default fallback: Bool) throws -> Bool {
    guard let value = value(key) else { return fallback }
    guard let bool = value.bool else { throw invalid(key, value, "true or false") }
    return bool
  }

  /// A positive integer setting such as `units` (at most 2^24).
  func positiveInt(_ key: String) throws -> Int {
    guard let value = value(key) else {
      throw KerasImportError.invalidConfig("layer '\(name)' (\(className)) has no '\(key)'")
    }
    guard let int = value.int, int > 0, int <= 1 << 24 else {
      throw invalid(key, value, "a positive integer up to \(1 << 24)")
    }
    return int
  }

  /// A numeric setting; `fallback` when absent.
  func number(_ key: String, default fallback: Double) throws -> Double {
    guard let value = value(key) else { return fallback }
    guard let number = value.number else { throw invalid(key, value, "a number") }
    return number
  }

  /// A string setting, or `nil` when absent.
  func string(_ key: String) throws -> String? {
    guard let value = value(key) else { return nil }
    guard let string = value.string else { throw invalid(key, value, "a string") }
    return string
  }

  private func invalid(_ key: String, _ value: JSONValue, _ expected: String) -> KerasImportError {
    .invalidConfig("layer '\(name)' (\(className)) has \(key) = \(value.summary), expected \(expected)")
  }
}
