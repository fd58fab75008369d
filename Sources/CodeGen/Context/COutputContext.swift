/// One model output.
struct COutputContext: Encodable {
  /// Its position among the model's outputs (`out<index>`, `NAME_OUTPUT_<index>_...`).
  var index: Int
  /// Its name in the source model (comment-safe).
  var name: String
  /// The name as a C string literal.
  var nameLiteral: String
  /// Values per step (a sequence) or per sequence.
  var size: Int
  /// Whether it has a value for every step (`steps * size` values) or one vector (`size` values).
  var isSequence: Bool
  /// `output`, `h.forward`, `c.backward`, ...
  var port: String
  /// The index of the layer it comes from.
  var layer: Int
  /// That layer's name (comment-safe).
  var layerName: String
  /// The public functions' parameter, `out<index>`.
  var parameter: String
  /// A one-line description for documentation, e.g. `the final h of layer 0 'lstm' (forward)`.
  var summary: String
}
