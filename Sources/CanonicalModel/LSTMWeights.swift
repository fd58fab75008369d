/// The parameters of one direction of an LSTM layer, one ``GateWeights`` per named gate.
public struct LSTMWeights: Equatable, Sendable {
  /// The input gate.
  public var input: GateWeights
  /// The forget gate.
  public var forget: GateWeights
  /// The cell candidate.
  public var cell: GateWeights
  /// The output gate.
  public var output: GateWeights
  /// Optional peephole weights, each of shape `[hidden]`, keyed by the gate they feed
  /// (``Gate/input``, ``Gate/forget``, ``Gate/output``).
  public var peepholes: [Gate: Tensor]

  /// Creates the weights of one direction.
  public init(
    input: GateWeights, forget: GateWeights, cell: GateWeights, output: GateWeights,
    peepholes: [Gate: Tensor] = [:]
  ) {
    self.input = input
    self.forget = forget
    self.cell = cell
    self.output = output
    self.peepholes = peepholes
  }

  /// The weights of `gate`.
  public subscript(gate: Gate) -> GateWeights {
    get {
      switch gate {
      case .input: return input
      case .forget: return forget
      case .cell: return cell
      case .output: return output
      }
    }
    set {
      switch gate {
      case .input: input = newValue
      case .forget: forget = newValue
      case .cell: cell = newValue
      case .output: output = newValue
      }
    }
  }
}
