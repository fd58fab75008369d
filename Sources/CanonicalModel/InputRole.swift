/// What a model input feeds.
///
/// The chain's data input has role ``sequence``; the other roles feed one
/// recurrent layer (ONNX `initial_h`, `initial_c` and `sequence_lens` given as
/// graph inputs).
public enum InputRole: Equatable, Hashable, Sendable {
  /// The data the chain starts from.
  case sequence
  /// Per-sample valid lengths, int32 `[batch]`: steps at or past a sample's length are
  /// masked for every recurrent layer, which then outputs zeros there.
  case sequenceLengths
  /// The initial hidden state of recurrent layer `layer`, `[batch, directions * hidden]`
  /// (forward's state first for a Bidirectional layer).
  case initialHiddenState(layer: Int)
  /// The initial cell state of recurrent layer `layer`, shaped as ``initialHiddenState(layer:)``.
  case initialCellState(layer: Int)

  /// A stable textual form: `sequence`, `sequence_lengths`, `initial_h.<layer>`, `initial_c.<layer>`.
  public var identifier: String {
    switch self {
    case .sequence: return "sequence"
    case .sequenceLengths: return "sequence_lengths"
    case .initialHiddenState(let layer): return "initial_h.\(layer)"
    case .initialCellState(let layer): return "initial_c.\(layer)"
    }
  }

  /// Parses ``identifier``.
  public init?(identifier: String) {
    switch identifier {
    case "sequence": self = .sequence
    case "sequence_lengths": self = .sequenceLengths
    default:
      let parts = identifier.split(separator: ".", maxSplits: 1).map(String.init)
      guard parts.count == 2, let layer = Int(parts[1]), layer >= 0 else { return nil }
      switch parts[0] {
      case "initial_h": self = .initialHiddenState(layer: layer)
      case "initial_c": self = .initialCellState(layer: layer)
      default: return nil
      }
    }
  }
}

extension InputRole: Codable {
  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let role = InputRole(identifier: text) else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown input role '\(text)'")
    }
    self = role
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(identifier)
  }
}
