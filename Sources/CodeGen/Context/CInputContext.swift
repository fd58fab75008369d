/// The model's input.
struct CInputContext: Encodable {
  /// Its name in the source model (comment-safe).
  var name: String
  /// The name as a C string literal, quotes included.
  var nameLiteral: String
  /// Whether it holds Embedding indices (`int32_t`) rather than features (`float`).
  var isIndex: Bool
  /// `float` or `int32_t`.
  var elementType: String
  /// Values per step: the feature count, or 1 for indices.
  var size: Int
  /// Its shape, e.g. `[batch, 10, 3]` or `[batch, time, 3]`.
  var shape: String
  /// How the source file lays the input out when it is not batch first, e.g. `[time, batch, 3]`.
  var fileLayout: String?
}
