/// The two activations of a GRU cell.
///
/// Keras calls `gate` the `recurrent_activation` and `candidate` the `activation`;
/// ONNX names them f and g.
public struct GRUActivations: Equatable, Sendable, Codable {
  /// Applied to the update and reset gates (ONNX `f`, Keras `recurrent_activation`).
  public var gate: Activation
  /// Applied to the candidate (ONNX `g`, Keras `activation`).
  public var candidate: Activation

  /// Creates the activations of a cell.
  public init(gate: Activation, candidate: Activation) {
    self.gate = gate
    self.candidate = candidate
  }

  /// The usual GRU: sigmoid gates, tanh candidate.
  public static let standard = GRUActivations(gate: .sigmoid, candidate: .tanh)
}
