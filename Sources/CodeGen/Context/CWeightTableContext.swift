/// One `static const` array: weights (root `tables`) or test data (root `testTables`).
struct CWeightTableContext: Encodable {
  /// `float` or `int32_t`.
  var elementType: String
  /// The C identifier, e.g. `model_l0_fwd_kernel`.
  var symbol: String
  /// The number of elements.
  var length: Int
  /// The elements as C literals, 8 to a line (16 for integers), each line indented by four spaces
  /// and ending in a comma: render with `{{ table.lines|join:newline }}`.
  var lines: [String]
  /// What it holds and in which layout (comment-safe).
  var summary: String
}

extension CWeightTableContext {
  /// The reference layers and test cases hold.
  var reference: CTableReference { CTableReference(symbol: symbol, length: length, summary: summary) }
}
