/// The cell update of one LSTM direction, after ``CGateProductsContext``: `z` holds the
/// pre-activations of the gates input, forget, cell, output (H each, in that order).
struct CLSTMCellContext: Encodable {
  /// Where each gate starts in `z`: H, 2H, 3H (input starts at 0).
  var forgetOffset: Int
  var cellOffset: Int
  var outputOffset: Int
  /// Peephole weights `[H]`, when present.
  var peepholeInput: CTableReference?
  var peepholeForget: CTableReference?
  var peepholeOutput: CTableReference?
  /// `f = 1 - i`.
  var coupledInputForget: Bool
  /// The three activations.
  var gate: CActivationReference
  var cell: CActivationReference
  var hidden: CActivationReference
}
