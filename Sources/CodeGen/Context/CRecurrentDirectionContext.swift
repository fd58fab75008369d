/// One direction of a recurrent layer: an LSTM or a GRU, alone or inside Bidirectional.
///
/// What every cell shares (the gate products, the time sweep, masking, merging) is here;
/// exactly one of ``lstm`` and ``gru`` holds the cell update of its kind.
struct CRecurrentDirectionContext: Encodable {
  /// The prefix of its symbols, e.g. `model_l0_fwd` (`_kernel`, `_bias`, `_cell`, `_run`).
  var symbol: String
  /// `forward` or `backward`.
  var direction: String
  /// `LSTM` or `GRU`.
  var cellName: String
  /// Features per input step (I).
  var inputSize: Int
  /// Units (H).
  var hiddenSize: Int
  /// 4H, the floats of the scratch vector `z` the cell uses (both kinds).
  var gateSize: Int
  /// `z = bias; z += kernel rows × [x; h]`: the fused gate products.
  var products: CGateProductsContext
  /// The clip limit as a C float literal, when gate pre-activations are clipped.
  var clip: String?
  /// The LSTM's cell update, for an LSTM.
  var lstm: CLSTMCellContext?
  /// The GRU's cell update, for a GRU.
  var gru: CGRUCellContext?
  /// Whether the layer returns a sequence.
  var returnSequences: Bool
  /// At a masked step, output zeros instead of repeating the previous output.
  var zeroOutputForMask: Bool
  /// The `name_state_t` fields holding h, c (an LSTM only) and the flag that is 1 while the last
  /// output is h (0: zeros).
  var hiddenField: String
  var cellField: String?
  var flagField: String
  /// How `name_predict` runs the direction over a buffered sequence (models that buffer only).
  var run: CRunContext?
}
