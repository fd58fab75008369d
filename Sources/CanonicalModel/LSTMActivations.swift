/// The three activations of an LSTM cell.
///
/// With `z` the gate pre-activations: `i, f, o = gate(z)`, `c' = f*c + i*cell(z_c)`,
/// `h' = o * hidden(c')`. Keras calls `gate` the `recurrent_activation` and uses its
/// `activation` for both `cell` and `hidden`; ONNX names them f, g and h.
public struct LSTMActivations: Equatable, Sendable, Codable {
  /// Applied to the input, forget and output gates (ONNX `f`, Keras `recurrent_activation`).
  public var gate: Activation
  /// Applied to the cell candidate (ONNX `g`, Keras `activation`).
  public var cell: Activation
  /// Applied to the cell state before the output gate (ONNX `h`, Keras `activation`).
  public var hidden: Activation

  /// Creates the activations of a cell.
  public init(gate: Activation, cell: Activation, hidden: Activation) {
    self.gate = gate
    self.cell = cell
    self.hidden = hidden
  }

  /// The usual LSTM: sigmoid gates, tanh cell and hidden.
  public static let standard = LSTMActivations(gate: .sigmoid, cell: .tanh, hidden: .tanh)
}
