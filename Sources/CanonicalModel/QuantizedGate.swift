/// One recurrent gate quantized: its input and recurrent products, each requantized
/// to the int16 gate pre-activation (Q3.12) before they are added with saturation.
public struct QuantizedGate: Equatable, Sendable {
  /// `W` applied to the layer input.
  public var input: QuantizedMatrix
  /// `U` applied to the hidden state (its bias is the folded hidden zero point only;
  /// the float bias lives in ``input``).
  public var recurrent: QuantizedMatrix

  /// Creates a gate.
  public init(input: QuantizedMatrix, recurrent: QuantizedMatrix) {
    self.input = input
    self.recurrent = recurrent
  }
}
