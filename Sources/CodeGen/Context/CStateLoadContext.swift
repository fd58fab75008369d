/// Where `name_reset` takes one recurrent state field (h or c of one direction) from.
struct CStateLoadContext: Encodable {
  /// The `name_state_t` field.
  var field: String
  /// Values in the field (H).
  var size: Int
  /// The initial-state parameter it is copied from, when the model takes one (NULL there means zeros).
  var input: String?
  /// The same parameter as the Swift templates spell it, e.g. `initialH0`.
  var swiftInput: String?
  /// Where this direction's values start in that parameter (forward first).
  var inputOffset: Int
  /// The constant table (`static const`) it is copied from, when the model holds one.
  var table: String?
  /// Whether that table has one row per sample (indexed by `sample`) rather than one row.
  var perSample: Bool
}
