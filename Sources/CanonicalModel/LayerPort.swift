/// Which of a layer's results a model output takes.
public enum LayerPort: Equatable, Hashable, Sendable {
  /// The layer's main output (what the next layer in the chain consumes).
  case output
  /// The final hidden state `h` of a recurrent layer's direction (Keras `return_state`).
  case hiddenState(Direction)
  /// The final cell state `c` of a recurrent layer's direction.
  case cellState(Direction)
  /// The final hidden states of every direction of a recurrent layer, concatenated on the
  /// feature axis, forward first: `[batch, directions * hidden]` (ONNX `Y_h`; a file layout
  /// splits it into `[directions, batch, hidden]`).
  case hiddenStates
  /// The final cell states of every direction, as ``hiddenStates`` (ONNX `Y_c`).
  case cellStates

  /// A stable textual form: `output`, `h.forward`, `c.backward`, ...
  public var identifier: String {
    switch self {
    case .output: return "output"
    case .hiddenState(let direction): return "h.\(direction.rawValue)"
    case .cellState(let direction): return "c.\(direction.rawValue)"
    case .hiddenStates: return "h.all"
    case .cellStates: return "c.all"
    }
  }

  /// Parses ``identifier``.
  public init?(identifier: String) {
    switch identifier {
    case "output":
      self = .output
      return
    case "h.all":
      self = .hiddenStates
      return
    case "c.all":
      self = .cellStates
      return
    default: break
    }
    let parts = identifier.split(separator: ".", maxSplits: 1).map(String.init)
    guard parts.count == 2, let direction = Direction(rawValue: parts[1]) else { return nil }
    switch parts[0] {
    case "h": self = .hiddenState(direction)
    case "c": self = .cellState(direction)
    default: return nil
    }
  }
}
