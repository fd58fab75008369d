/// The gate products of one recurrent step, shared by every cell kind: the pre-activation
/// vector `z` starts as the bias, then every input element and every element of `h` adds its
/// kernel row (one axpy per element):
/// ```
/// z[0 ..< biasLength] = bias (zeros without one)
/// z[j] += kernel[k][j] * x[k]                                for k < I,  j < rowLength
/// z[hiddenOffset + j] += kernel[I + k][j] * h[k]             for k < H,  j < hiddenWidth
/// ```
/// An LSTM uses whole rows at offset 0; a GRU starts its recurrent products at H (see
/// ``CGRUCellContext``) and, resetting before the product, uses only their first 2H columns.
///
/// In a row-block layout (``TargetCore/rowBlock``) the kernel holds the same weights reordered for
/// `rowCalls`, which compute the same sums in the same order; `rowLength`, `hiddenWidth` and
/// `hiddenOffset` then describe the sums, not the table.
struct CGateProductsContext: Encodable {
  /// The fused kernel `[(I + H) × rowLength]`.
  var kernel: CTableReference
  /// Floats per kernel row.
  var rowLength: Int
  /// The bias, absent when it is all zeros.
  var bias: CTableReference?
  /// The floats of `z` the bias (or zeros) initializes.
  var biasLength: Int
  /// The columns of a hidden row the step adds (the rest, if any, the cell uses itself).
  var hiddenWidth: Int
  /// Where in `z` the hidden rows' products go.
  var hiddenOffset: Int
  /// The row-block layout's calls of `name_rows` that compute the products (empty in the axpy layout).
  var rowCalls: [CRowCallContext] = []
}
