/// One quantized LSTM direction of integer code: a `static const name_lstm_t` descriptor that
/// the shared `name_lstm_step` runs (the integer reference's `IntegerLSTMDirection`, step for step).
struct CIntegerLSTMContext: Encodable {
  /// The descriptor's C identifier, e.g. `model_l0_fwd`.
  var symbol: String
  /// What it is (comment-safe).
  var summary: String
  /// `W` products in gate order input, forget, cell, output.
  var inputProducts: [CIntegerMatrixContext]
  /// `U` products, the same order.
  var recurrentProducts: [CIntegerMatrixContext]
  /// I and H.
  var inputSize: Int
  var hiddenSize: Int
  /// Requantization of `o * tanh(c)` (Q0.30) to the hidden state.
  var hiddenMultiplier: Int32
  var hiddenShift: Int32
  var hiddenZero: Int32
  /// Fraction bits F of the int16 cell state.
  var cellBits: Int
  /// 1 and the clip in Q3.12 when the layer clips gate pre-activations, else 0 and 0.
  var hasClip: Int
  var clip: Int32
  /// 1 for coupled input-forget (`f = 1 - i`).
  var coupled: Int
}
