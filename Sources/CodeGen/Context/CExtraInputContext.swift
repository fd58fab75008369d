/// A model input besides the sequence: per-sample sequence lengths, or a recurrent layer's initial
/// hidden or cell state (ONNX `sequence_lens`, `initial_h`, `initial_c` given as graph inputs).
struct CExtraInputContext: Encodable {
  /// Its position among the model's inputs.
  var index: Int
  /// Its name in the source model (comment-safe) and as a C string literal.
  var name: String
  var nameLiteral: String
  /// Whether it holds per-sample lengths (the caller passes them as `steps`) rather than a state.
  var isLengths: Bool
  /// The public functions' parameter for an initial state, e.g. `initial_h0` (`nil` for lengths).
  var parameter: String?
  /// Values per sample: `directions * hidden` for a state (forward first), 1 for lengths.
  var size: Int
  /// What it holds, for documentation (comment-safe).
  var summary: String
}
