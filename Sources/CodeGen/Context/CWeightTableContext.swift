/// One `static const` array: weights (root `tables`) or test data (root `testTables`).
struct CWeightTableContext: Encodable {
  /// `float` or `int32_t`.
  var elementType: String
  /// The C identifier, e.g. `model_l0_fwd_kernel`.
  var symbol: String
  /// The number of elements.
  var length: Int
  /// The elements as C literals, 8 to a line (16 for integers), each line indented by four spaces
  /// and ending in a comma. Not in the template context (the Swift generator re-chunks them).
  var lines: [String]
  /// What it holds and in which layout (comment-safe).
  var summary: String

  /// The template key `text`: ``lines`` joined by newlines, one string, because Stencil bridges an
  /// array to Foundation on every lookup (a million-parameter table as 125,000 lines took most of
  /// the rendering time).
  private enum CodingKeys: String, CodingKey {
    case elementType, symbol, length, text, summary
  }

  func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(elementType, forKey: .elementType)
    try container.encode(symbol, forKey: .symbol)
    try container.encode(length, forKey: .length)
    try container.encode(lines.joined(separator: "\n"), forKey: .text)
    try container.encode(summary, forKey: .summary)
  }
}

extension CWeightTableContext {
  /// The reference layers and test cases hold.
  var reference: CTableReference { CTableReference(symbol: symbol, length: length, summary: summary) }
}
