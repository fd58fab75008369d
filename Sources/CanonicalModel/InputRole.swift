/// What a model input feeds.
///
/// The chain's data input has role ``sequence``; the other roles feed one
/// recurrent layer, or several (ONNX `initial_h`, `initial_c` and `sequence_lens` given as
/// graph inputs; PyTorch's `h0`/`c0` of a multi-layer `nn.LSTM`).
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
  /// The initial hidden states of several recurrent layers in one input (PyTorch's `h0` of a
  /// multi-layer LSTM): float32 `[batch, S]`, `S` the sum over `layers` of `directions * hidden`.
  /// Per sample, the row holds each listed layer's block in list order, each block laid out as
  /// for ``initialHiddenState(layer:)`` (forward's `hidden` values first, then backward's):
  /// layer `layers[i]` reads elements `offset_i ..< offset_i + directions_i * hidden_i` of the row,
  /// `offset_i` the sum of the blocks before it. `layers` holds at least two strictly increasing
  /// indices of recurrent layers; a layer fed here must not also be fed by another input.
  case initialHiddenStates(layers: [Int])
  /// The initial cell states of several recurrent layers, laid out as ``initialHiddenStates(layers:)``.
  case initialCellStates(layers: [Int])

  /// A stable textual form: `sequence`, `sequence_lengths`, `initial_h.<layer>`, `initial_c.<layer>`,
  /// and for several layers `initial_h.<layer>,<layer>,…` / `initial_c.<layer>,<layer>,…` (e.g. `initial_h.0,1`).
  public var identifier: String {
    switch self {
    case .sequence: return "sequence"
    case .sequenceLengths: return "sequence_lengths"
    case .initialHiddenState(let layer): return "initial_h.\(layer)"
    case .initialCellState(let layer): return "initial_c.\(layer)"
    case .initialHiddenStates(let layers): return "initial_h." + layers.map(String.init).joined(separator: ",")
    case .initialCellStates(let layers): return "initial_c." + layers.map(String.init).joined(separator: ",")
    }
  }

  /// The recurrent layers whose initial state this input feeds, in its per-sample order (empty for the others).
  public var stateLayers: [Int] {
    switch self {
    case .sequence, .sequenceLengths: return []
    case .initialHiddenState(let layer), .initialCellState(let layer): return [layer]
    case .initialHiddenStates(let layers), .initialCellStates(let layers): return layers
    }
  }

  /// Whether the input feeds cell states (`c`) rather than hidden states (`h`); `nil` for non-state roles.
  public var isCellState: Bool? {
    switch self {
    case .sequence, .sequenceLengths: return nil
    case .initialHiddenState, .initialHiddenStates: return false
    case .initialCellState, .initialCellStates: return true
    }
  }

  /// Parses ``identifier``.
  public init?(identifier: String) {
    switch identifier {
    case "sequence": self = .sequence
    case "sequence_lengths": self = .sequenceLengths
    default:
      let parts = identifier.split(separator: ".", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { return nil }
      let layers = parts[1].split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
      guard !layers.isEmpty, layers.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
      let indices = layers.map { $0! }
      switch (parts[0], indices.count) {
      case ("initial_h", 1): self = .initialHiddenState(layer: indices[0])
      case ("initial_c", 1): self = .initialCellState(layer: indices[0])
      case ("initial_h", _): self = .initialHiddenStates(layers: indices)
      case ("initial_c", _): self = .initialCellStates(layers: indices)
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
