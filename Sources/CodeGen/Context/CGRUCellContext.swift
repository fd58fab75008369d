/// The cell update of one GRU direction, after ``CGateProductsContext``.
///
/// `z` (4H floats) holds, in blocks of H: `[W_n x + b_n | z | r | extra]`. The kernel's input
/// rows hold the gates candidate, update, reset (written to `z[0 ..< 3H]`); its hidden rows hold
/// update, reset, candidate (added from `z[H]` on). So with `resetAfter` the products leave the
/// full pre-activations of the update and reset gates in the middle blocks and `U_n h + bU` in
/// `extra` (the bias is `[b_n, b_z, b_r, bU]`):
/// ```
/// n = φ(z[0] + r ⊙ extra)
/// ```
/// Without it, the products skip the candidate's columns of the hidden rows (the bias is
/// `[b_n + bU, b_z, b_r]`); the cell puts `r ⊙ h` in `extra` and adds `U_n (r ⊙ h)` to the first
/// block with the hidden rows' last H columns (from `candidateColumn`):
/// ```
/// n = φ(z[0] + U_n (r ⊙ h))
/// ```
/// Then `h = z ⊙ h + (1 − z) ⊙ n`; after `n` is computed `extra` is scratch (the exact vector tanh's).
struct CGRUCellContext: Encodable {
  /// Whether the reset gate multiplies `U_n h + bU` (true) or `h` before `U_n` (false).
  var resetAfter: Bool
  /// Where the update gate, the reset gate and the extra block start in `z`: H, 2H, 3H.
  var updateOffset: Int
  var resetOffset: Int
  var extraOffset: Int
  /// 2H: the update and reset gates, one block of `z` from `updateOffset`.
  var gatesLength: Int
  /// 2H: where `U_n`'s columns start in a hidden row of the kernel.
  var candidateColumn: Int
  /// In a row-block layout, the call that adds `U_n (r ⊙ h)` to the first block (reset before the
  /// product only); the axpy layout loops over the kernel's columns from `candidateColumn` instead.
  var candidateCall: CRowCallContext?
  /// The gate activation, over both gates (its `vector` form has size 2H; `function` is called per gate).
  var gate: CActivationReference
  /// The candidate activation (its `vector` form has size H).
  var candidate: CActivationReference
}
