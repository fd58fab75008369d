import CanonicalModel

/// ONNX's packed gate orders: the one place lstmc knows them.
enum ONNXGateLayout {
  /// The gates in ONNX's packed order in `W`, `R` and `B` (i, o, f, c).
  static let packed: [Gate] = [.input, .output, .forget, .cell]
  /// The gates in ONNX's packed order in `P` (i, o, f).
  static let peepholes: [Gate] = [.input, .output, .forget]
  /// The GRU gates in ONNX's packed order in `W`, `R` and in each half of `B` (z, r, h).
  ///
  /// `B` is `[Wb_z, Wb_r, Wb_h, Rb_z, Rb_r, Rb_h]` per direction. The update and reset gates take
  /// `Wb + Rb` as their bias; the candidate takes `Wb_h` as `b` and `Rb_h` as its own recurrent bias
  /// (``GRUWeights/candidateRecurrentBias``), in both reset modes.
  static let gru: [GRUGate] = [.update, .reset, .candidate]
}
