/// A weight table as a layer refers to it (its values are in the root `tables` list only: Stencil
/// copies every dictionary on a variable's path, so large arrays must stay out of the layer contexts).
struct CTableReference: Encodable {
  /// The C identifier.
  var symbol: String
  /// The number of elements.
  var length: Int
  /// What it holds and in which layout (comment-safe).
  var summary: String
}
