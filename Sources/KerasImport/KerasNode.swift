/// One call of a layer in a Functional model, as its `inbound_nodes` entry records it.
struct KerasNode: Equatable, Sendable {
  /// The tensors passed positionally, in order (nested lists flattened).
  var inputs: [KerasTensorRef]
  /// Positional arguments that are not tensors (Keras 3 ops such as `NotEqual(x, 0.0)`).
  var constants: [JSONValue]
  /// The tensor passed as `mask=` (Keras 3 records the propagated mask this way).
  var mask: KerasTensorRef?
  /// The names of other keyword arguments that carry tensors (`initial_state`, ...).
  var tensorKeywords: [String]

  /// Parses a Keras 2 node (`[[name, node, index, kwargs], ...]`) or a Keras 3
  /// node (`{"args": [...], "kwargs": {...}}`); `nil` when it is neither.
  init?(_ value: JSONValue) {
    inputs = []
    constants = []
    mask = nil
    tensorKeywords = []
    if let entries = value.array {
      for entry in entries {
        guard let tensor = KerasTensorRef(history: entry) else { return nil }
        inputs.append(tensor)
        if let items = entry.array, items.count > 3, let kwargs = items[3].object {
          tensorKeywords += kwargs.keys.filter { $0 != "training" && $0 != "mask" }.sorted()
        }
      }
    } else if let args = value["args"]?.array {
      for arg in args { collect(arg) }
      for (key, argument) in (value["kwargs"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
        let tensors = Self.tensors(in: argument)
        if tensors.isEmpty { continue }
        if key == "mask", tensors.count == 1 {
          mask = tensors[0]
        } else {
          tensorKeywords.append(key)
        }
      }
    } else {
      return nil
    }
  }

  private mutating func collect(_ value: JSONValue) {
    if let tensor = KerasTensorRef(kerasTensor: value) {
      inputs.append(tensor)
    } else if let items = value.array {
      for item in items { collect(item) }
    } else {
      constants.append(value)
    }
  }

  private static func tensors(in value: JSONValue) -> [KerasTensorRef] {
    if let tensor = KerasTensorRef(kerasTensor: value) { return [tensor] }
    if let items = value.array { return items.flatMap { tensors(in: $0) } }
    if let members = value.object, value["class_name"] == nil {
      return members.keys.sorted().flatMap { tensors(in: members[$0] ?? .null) }
    }
    return []
  }
}
