/// A first Embedding layer of integer code: its table already holds the layer's output codes, so a
/// step copies one row (an index outside `0..<vocabulary` is refused before anything runs).
struct CIntegerEmbeddingContext: Encodable {
  /// The table's symbol (`vocabulary x dimension` activation codes, row-major).
  var table: String
  var vocabulary: Int
  var dimension: Int
}
