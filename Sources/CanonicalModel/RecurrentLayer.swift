/// One direction of a recurrent layer: an LSTM or a GRU.
///
/// The settings both kinds share (sizes, direction, output order, masking, initial
/// state and lengths) are readable and writable here, so code that asks "is this
/// recurrent" needs no switch; code that needs a cell's own parameters switches on it.
public enum RecurrentLayer: Equatable, Sendable {
  /// An LSTM direction.
  case lstm(LSTMLayer)
  /// A GRU direction.
  case gru(GRULayer)

  /// `LSTM` or `GRU`.
  public var cellName: String {
    switch self {
    case .lstm: return "LSTM"
    case .gru: return "GRU"
    }
  }

  /// The LSTM, or `nil` for a GRU.
  public var lstm: LSTMLayer? {
    if case .lstm(let layer) = self { return layer }
    return nil
  }

  /// The GRU, or `nil` for an LSTM.
  public var gru: GRULayer? {
    if case .gru(let layer) = self { return layer }
    return nil
  }

  /// Whether the cell has a cell state `c` besides `h` (an LSTM does, a GRU does not).
  public var hasCellState: Bool { lstm != nil }

  /// The number of gate blocks one step computes from `W x + U h` (4 for an LSTM, 3 for a GRU).
  public var gateCount: Int {
    switch self {
    case .lstm: return 4
    case .gru: return 3
    }
  }

  /// Multiply-adds of one step's `W x` and `U h` products: `gates·H·(I+H)`.
  public var multiplyAddsPerStep: Int { gateCount * hiddenSize * (inputSize + hiddenSize) }

  /// The number of parameters.
  public var parameterCount: Int {
    switch self {
    case .lstm(let layer): return layer.parameterCount
    case .gru(let layer): return layer.parameterCount
    }
  }

  /// Features per input step.
  public var inputSize: Int {
    get { get(\.inputSize, \.inputSize) }
    set { set(\.inputSize, \.inputSize, newValue) }
  }
  /// Units (hidden state size).
  public var hiddenSize: Int {
    get { get(\.hiddenSize, \.hiddenSize) }
    set { set(\.hiddenSize, \.hiddenSize, newValue) }
  }
  /// The direction the layer walks time in.
  public var direction: Direction {
    get { get(\.direction, \.direction) }
    set { set(\.direction, \.direction, newValue) }
  }
  /// For a backward layer, the time order of the returned sequence.
  public var outputOrder: SequenceOrder {
    get { get(\.outputOrder, \.outputOrder) }
    set { set(\.outputOrder, \.outputOrder, newValue) }
  }
  /// Whether the layer returns every step's `h` or only the last.
  public var returnSequences: Bool {
    get { get(\.returnSequences, \.returnSequences) }
    set { set(\.returnSequences, \.returnSequences, newValue) }
  }
  /// Whether the source layer had a bias.
  public var usesBias: Bool {
    get { get(\.usesBias, \.usesBias) }
    set { set(\.usesBias, \.usesBias, newValue) }
  }
  /// Clip of the gate pre-activations; `nil` for none.
  public var clip: Float? {
    get { get(\.clip, \.clip) }
    set { set(\.clip, \.clip, newValue) }
  }
  /// Whether the source layer was stateful.
  public var stateful: Bool {
    get { get(\.stateful, \.stateful) }
    set { set(\.stateful, \.stateful, newValue) }
  }
  /// At a masked step, output zeros instead of repeating the previous output.
  public var zeroOutputForMask: Bool {
    get { get(\.zeroOutputForMask, \.zeroOutputForMask) }
    set { set(\.zeroOutputForMask, \.zeroOutputForMask, newValue) }
  }
  /// A constant initial hidden state `[batch, hidden]`; `nil` for zeros.
  public var initialHidden: Tensor? {
    get { get(\.initialHidden, \.initialHidden) }
    set { set(\.initialHidden, \.initialHidden, newValue) }
  }
  /// Constant per-sample valid lengths `[batch]`; `nil` for none.
  public var sequenceLengths: Tensor? {
    get { get(\.sequenceLengths, \.sequenceLengths) }
    set { set(\.sequenceLengths, \.sequenceLengths, newValue) }
  }
  /// A constant initial cell state `[batch, hidden]` (always `nil` for a GRU; setting it on a GRU does nothing).
  public var initialCell: Tensor? {
    get { lstm?.initialCell }
    set {
      if case .lstm(var layer) = self {
        layer.initialCell = newValue
        self = .lstm(layer)
      }
    }
  }

  private func get<T>(_ lstmPath: KeyPath<LSTMLayer, T>, _ gruPath: KeyPath<GRULayer, T>) -> T {
    switch self {
    case .lstm(let layer): return layer[keyPath: lstmPath]
    case .gru(let layer): return layer[keyPath: gruPath]
    }
  }

  private mutating func set<T>(
    _ lstmPath: WritableKeyPath<LSTMLayer, T>, _ gruPath: WritableKeyPath<GRULayer, T>, _ value: T
  ) {
    switch self {
    case .lstm(var layer):
      layer[keyPath: lstmPath] = value
      self = .lstm(layer)
    case .gru(var layer):
      layer[keyPath: gruPath] = value
      self = .gru(layer)
    }
  }
}
