/// One quantized GRU direction of integer code: a `static const name_gru_t` descriptor that the
/// shared `name_gru_step` runs (the integer reference's `IntegerGRUDirection`, step for step).
struct CIntegerGRUContext: Encodable {
  /// The descriptor's C identifier, e.g. `model_l0_fwd`.
  var symbol: String
  /// What it is (comment-safe).
  var summary: String
  /// `W` products in gate order update, reset, candidate.
  var inputProducts: [CIntegerMatrixContext]
  /// `U` products, the same order (the candidate's carries the recurrent bias).
  var recurrentProducts: [CIntegerMatrixContext]
  /// I and H.
  var inputSize: Int
  var hiddenSize: Int
  /// Requantization of `(1 - z) * n` (Q0.30) to the hidden state.
  var hiddenMultiplier: Int32
  var hiddenShift: Int32
  var hiddenZero: Int32
  /// 1 and the clip in Q3.12 when the layer clips gate pre-activations, else 0 and 0.
  var hasClip: Int
  var clip: Int32
  /// 1 when the reset gate multiplies the recurrent product (Keras `reset_after`, ONNX
  /// `linear_before_reset`), 0 when it multiplies `h` before the product.
  var resetAfter: Int
}
