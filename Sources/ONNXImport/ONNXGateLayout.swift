import CanonicalModel

/// ONNX's packed gate orders: the one place lstmc knows them.
enum ONNXGateLayout {
  /// The gates in ONNX's packed order in `W`, `R` and `B` (i, o, f, c).
  static let packed: [Gate] = [.input, .output, .forget, .cell]
  /// The gates in ONNX's packed order in `P` (i, o, f).
  static let peepholes: [Gate] = [.input, .output, .forget]
}
