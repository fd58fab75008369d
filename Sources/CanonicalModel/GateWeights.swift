/// The parameters of one gate of one LSTM direction.
public struct GateWeights: Equatable, Sendable {
  /// Input kernel, shape `[hidden, input]`.
  public var W: Tensor
  /// Recurrent kernel, shape `[hidden, hidden]`.
  public var U: Tensor
  /// Bias, shape `[hidden]` (the sum of the framework's input and recurrent biases).
  public var b: Tensor

  /// Creates a gate from its kernels and bias.
  public init(W: Tensor, U: Tensor, b: Tensor) {
    self.W = W
    self.U = U
    self.b = b
  }
}
