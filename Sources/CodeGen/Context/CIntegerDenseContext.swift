/// A Dense or TimeDistributed(Dense) kernel of integer code: a `static const name_matrix_t`.
struct CIntegerDenseContext: Encodable {
  var symbol: String
  var summary: String
  var matrix: CIntegerMatrixContext
}
