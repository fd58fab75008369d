/// The cell of an ONNX recurrent node (`LSTM` or `GRU`): what its packed tensors, inputs,
/// outputs and activation list hold. Everything else about the two nodes (X, layout, direction,
/// `sequence_lens`, `initial_h`, activations, clip, Y and Y_h) is shared by ``ONNXRecurrentConverter``.
enum ONNXRecurrentCell: Equatable {
  case lstm
  case gru

  /// The cell of an op type, or `nil` for any op that is not a recurrent node lstmc maps.
  init?(opType: String) {
    switch opType {
    case "LSTM": self = .lstm
    case "GRU": self = .gru
    default: return nil
    }
  }

  /// The recurrent op types lstmc maps.
  static let opTypes = ["LSTM", "GRU"]

  /// `LSTM` or `GRU`.
  var opType: String {
    switch self {
    case .lstm: return "LSTM"
    case .gru: return "GRU"
    }
  }

  /// Gate blocks of `hidden` rows packed in `W` and `R`; `B` holds twice as many (`Wb` then `Rb`).
  var gateCount: Int {
    switch self {
    case .lstm: return 4
    case .gru: return 3
    }
  }

  /// The default activations of one direction (LSTM f, g, h; GRU f, g).
  var defaultActivations: [String] {
    switch self {
    case .lstm: return ["Sigmoid", "Tanh", "Tanh"]
    case .gru: return ["Sigmoid", "Tanh"]
    }
  }

  /// Whether the node has a cell state (`initial_c`, `Y_c`).
  var hasCellState: Bool { self == .lstm }

  /// The number of inputs the operator defines (LSTM: X, W, R, B, sequence_lens, initial_h, initial_c, P).
  var inputCount: Int {
    switch self {
    case .lstm: return 8
    case .gru: return 6
    }
  }

  /// The number of outputs the operator defines (Y, Y_h and, for an LSTM, Y_c).
  var outputCount: Int { hasCellState ? 3 : 2 }
}
