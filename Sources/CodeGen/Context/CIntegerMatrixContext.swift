/// One quantized matrix product of integer code (`name_matrix_t`): per row `j`,
/// `multiply(bias[j] + Σ_k weights[j][k] x[k], multipliers[r], shifts[r])` with `r = j` per channel
/// or `r = 0` per tensor (`multiplyWide` in `int16x8_16`). The tables it points at are in ``CIntegerContext/tables``' owner.
struct CIntegerMatrixContext: Encodable {
  /// The weight table (int8, `rows x columns`, row-major: one row per output).
  var weights: String
  /// The folded int32 bias table (`rows`), or `NULL` when it derives from ``offset`` and ``sums``.
  var bias: String
  /// The int32 requantization multipliers (`rows`, or 1 per tensor).
  var multipliers: String
  /// The int8 shifts paired with them.
  var shifts: String
  /// Outputs.
  var rows: Int
  /// Inputs.
  var columns: Int
  /// 1 when every row has its own multiplier and shift, 0 for one per matrix.
  var perRow: Int
  /// 1 when the sum needs an int64 accumulator (`int16x8_16` where `|bias| + 127 * 32768 * columns`
  /// reaches 2^31), 0 when int32 gives the same integers.
  var wide: Int = 0
  /// A recurrent `U` whose bias is exactly `-offset Σ_k U_jk` stores no `bias` ("NULL"): the code computes
  /// it as `-offset * sums[j]` from the int16 row sums ``sums`` ("NULL" when `offset` is 0: no bias).
  var offset: Int32 = 0
  /// The int16 row-sum table's symbol, or "NULL".
  var sums = "NULL"
}
