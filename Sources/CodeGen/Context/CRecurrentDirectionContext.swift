/// One direction of an LSTM or Bidirectional layer.
struct CLSTMDirectionContext: Encodable {
  /// The prefix of its symbols, e.g. `model_l0_fwd` (`_kernel`, `_bias`, `_cell`, `_run`).
  var symbol: String
  /// `forward` or `backward`.
  var direction: String
  /// Features per input step (I).
  var inputSize: Int
  /// Units (H).
  var hiddenSize: Int
  /// 4H, the length of the fused pre-activation vector `z` (gates input, forget, cell, output).
  var gateSize: Int
  /// Where each gate starts in `z`: 0, H, 2H, 3H.
  var forgetOffset: Int
  var cellOffset: Int
  var outputOffset: Int
  /// The fused kernel `[(I + H) x 4H]`: row k holds the 4H weights input element k (k < I, from W)
  /// or hidden element k - I (from U) feeds into, gates in the order input, forget, cell, output.
  var kernel: CTableReference
  /// The bias `[4H]`, absent when the layer has none (all zero).
  var bias: CTableReference?
  /// Peephole weights `[H]`, when present.
  var peepholeInput: CTableReference?
  var peepholeForget: CTableReference?
  var peepholeOutput: CTableReference?
  /// The clip limit as a C float literal, when gate pre-activations are clipped.
  var clip: String?
  /// `f = 1 - i`.
  var coupledInputForget: Bool
  /// The three activations.
  var gate: CActivationReference
  var cell: CActivationReference
  var hidden: CActivationReference
  /// Whether the layer returns a sequence.
  var returnSequences: Bool
  /// At a masked step, output zeros instead of repeating the previous output.
  var zeroOutputForMask: Bool
  /// The `name_state_t` fields holding h, c and the flag that is 1 while the last output is h (0: zeros).
  var hiddenField: String
  var cellField: String
  var flagField: String
  /// How `name_predict` runs the direction over a buffered sequence (models that buffer only).
  var run: CRunContext?
}
