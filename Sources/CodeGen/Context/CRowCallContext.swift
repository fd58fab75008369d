/// One call of `name_rows`, the row-block layout's dot-product kernel (``TargetCore/rowBlock``):
/// ```
/// z[output + r] = init[r] + Σ_k w(r, k) firstVector[k] + Σ_k w(r, firstLength + k) secondVector[k]   for r < rows
/// ```
/// with `init` the bias from `biasOffset` (`hasBias`), `z[output ...]` itself (`accumulates`) or zeros, and
/// `w` the direction's kernel from `weightOffset`, stored in the order the kernel reads it: blocks
/// of `rowBlock` rows, `w[block][k][row]`, then the last `rows % rowBlock` rows one after another.
struct CRowCallContext: Encodable {
  /// Where the rows start in `z`.
  var output: Int
  /// Whether the rows start from the bias, and where their bias starts in the bias table.
  var hasBias: Bool
  var biasOffset: Int
  /// Whether the rows add to what `z` holds (the bias then is not used).
  var accumulates: Bool
  /// Where the rows' weights start in the kernel table.
  var weightOffset: Int
  /// The number of rows.
  var rows: Int
  /// The first vector the rows multiply (a C expression over the cell's `x`, `h` and `z`) and its length
  /// (not `first`: Stencil reserves `first`, `last` and `count` for arrays).
  var firstVector: String
  var firstLength: Int
  /// The second vector, `NULL` (length 0) when there is none.
  var secondVector: String
  var secondLength: Int
}
