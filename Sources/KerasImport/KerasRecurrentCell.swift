/// The Keras recurrent layer classes lstmc imports: the one place that answers
/// "is this Keras layer recurrent, and what does it return".
///
/// Code that once asked "is this an LSTM" asks this instead, so a GRU (or a
/// Bidirectional wrapping one) takes every path an LSTM takes.
enum KerasRecurrentCell: String, CaseIterable, Sendable {
  /// `LSTM`: four gates, states `h` and `c`.
  case lstm = "LSTM"
  /// `GRU`: three gates, state `h` only.
  case gru = "GRU"

  /// The cell of a Keras class name (`LSTM`, `GRU`), or `nil` for any other class.
  init?(className: String) {
    self.init(rawValue: className)
  }

  /// The Keras class name.
  var className: String { rawValue }

  /// The gate blocks Keras packs side by side in `kernel` and `recurrent_kernel`.
  var gateCount: Int {
    switch self {
    case .lstm: return 4
    case .gru: return 3
    }
  }

  /// The states Keras returns after the main output with `return_state`, in its order
  /// (`[output, h, c]` for an LSTM, `[output, h]` for a GRU).
  var stateNames: [String] {
    switch self {
    case .lstm: return ["h", "c"]
    case .gru: return ["h"]
    }
  }

  /// The recurrent cell a layer runs: its own class for `LSTM` / `GRU`, the wrapped
  /// layer's class for `Bidirectional`; `nil` for a layer that is not recurrent.
  static func of(_ layer: KerasLayerConfig) -> KerasRecurrentCell? {
    if layer.className == "Bidirectional" {
      return layer.config["layer"]?["class_name"]?.string.flatMap { KerasRecurrentCell(className: $0) }
    }
    return KerasRecurrentCell(className: layer.className)
  }

  /// How many states `layer` returns after its main output (`return_state`): one per state
  /// name and direction; 0 for a layer that returns none or is not recurrent.
  static func stateCount(of layer: KerasLayerConfig) -> Int {
    guard let cell = of(layer) else { return 0 }
    if layer.className == "Bidirectional" {
      // The wrapper copies return_state from the layer it wraps.
      let inner = layer.config["layer"]?["config"]
      let returnsState = layer.config["return_state"]?.bool ?? inner?["return_state"]?.bool ?? false
      return returnsState ? 2 * cell.stateNames.count : 0
    }
    return layer.config["return_state"]?.bool == true ? cell.stateNames.count : 0
  }
}
