/// The model's input as the benchmark harness sees it.
struct CBenchInputContext: Encodable {
  /// `float` or `int32_t`.
  var elementType: String
  /// Whether it holds Embedding indices (the harness draws them below ``vocabulary``).
  var isIndex: Bool
  /// The Embedding's vocabulary for index inputs (1 for features, unused there).
  var vocabulary: Int
}
