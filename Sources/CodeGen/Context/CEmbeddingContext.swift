/// An Embedding layer: rows of `table` looked up by index.
struct CEmbeddingContext: Encodable {
  /// `[vocabulary x dimension]`.
  var table: CTableReference
  /// Valid indices are `0 ..< vocabulary`.
  var vocabulary: Int
  /// The length of each row.
  var dimension: Int
  /// Whether index 0 masks its step.
  var maskZero: Bool
}
