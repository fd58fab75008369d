/// A reference to one tensor in a Functional model's graph: the producing
/// layer, the call (node) of that layer, and which of its outputs.
///
/// Keras 2 writes it as `["lstm", 0, 1, {}]`, Keras 3 as
/// `{"class_name": "__keras_tensor__", "config": {"keras_history": ["lstm", 0, 1]}}`.
struct KerasTensorRef: Equatable, Hashable, Sendable {
  /// The producing layer's name.
  var layer: String
  /// Which call of the layer produced it.
  var node: Int
  /// Which of that call's outputs (0 is the main output; 1... are returned states).
  var index: Int

  /// Parses `[name, node, index, ...]`.
  init?(history: JSONValue) {
    guard let items = history.array, items.count >= 3, let layer = items[0].string,
      let node = items[1].int, let index = items[2].int, node >= 0, index >= 0
    else { return nil }
    self.layer = layer
    self.node = node
    self.index = index
  }

  init(layer: String, node: Int, index: Int) {
    self.layer = layer
    self.node = node
    self.index = index
  }

  /// A Keras 3 `__keras_tensor__` object, or `nil` for anything else.
  init?(kerasTensor value: JSONValue) {
    guard value["class_name"]?.string == "__keras_tensor__",
      let history = value["config"]?["keras_history"]
    else { return nil }
    self.init(history: history)
  }
}
