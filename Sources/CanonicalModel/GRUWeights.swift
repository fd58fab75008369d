/// The parameters of one direction of a GRU layer, one ``GateWeights`` per named gate,
/// plus the candidate's recurrent bias.
///
/// For the update and reset gates `b` is the sum of the framework's input and recurrent
/// biases. For the candidate, `b` is the input-side bias only and ``candidateRecurrentBias``
/// the recurrent one: with ``GRULayer/resetAfter`` it sits inside the reset product and
/// cannot be folded into `b`.
public struct GRUWeights: Equatable, Sendable {
  /// The update gate `z`.
  public var update: GateWeights
  /// The reset gate `r`.
  public var reset: GateWeights
  /// The candidate `n`.
  public var candidate: GateWeights
  /// The candidate's recurrent bias `bU` `[hidden]` (Keras's second bias row, ONNX `Rb_h`,
  /// PyTorch `bias_hh` of `n`); zeros when the source has none.
  public var candidateRecurrentBias: Tensor

  /// Creates the weights of one direction.
  public init(update: GateWeights, reset: GateWeights, candidate: GateWeights, candidateRecurrentBias: Tensor) {
    self.update = update
    self.reset = reset
    self.candidate = candidate
    self.candidateRecurrentBias = candidateRecurrentBias
  }

  /// The weights of `gate`.
  public subscript(gate: GRUGate) -> GateWeights {
    get {
      switch gate {
      case .update: return update
      case .reset: return reset
      case .candidate: return candidate
      }
    }
    set {
      switch gate {
      case .update: update = newValue
      case .reset: reset = newValue
      case .candidate: candidate = newValue
      }
    }
  }
}
