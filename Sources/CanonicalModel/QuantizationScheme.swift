/// How a quantized model stores its activations and weights, named
/// `<activations>x<weights>_<cell>` as TensorFlow Lite names its integer LSTM kernels.
public enum QuantizationScheme: String, Sendable, Codable, CaseIterable {
  /// int8 asymmetric inputs and hidden states, int8 symmetric weights, int16 cell
  /// state: the arrangement TensorFlow Lite Micro and CMSIS-NN use.
  case int8x8_16
  /// int16 symmetric inputs and hidden states, int8 weights, int16 cell state.
  case int16x8_16

  /// The element type of the values flowing between layers.
  public var activationType: IntegerElementType {
    switch self {
    case .int8x8_16: return .int8
    case .int16x8_16: return .int16
    }
  }
}
