/// The state of one recurrent direction, as `name_reset` clears it.
struct CRecurrentStateContext: Encodable {
  /// The fields.
  var hiddenField: String
  var cellField: String
  var flagField: String
  /// H.
  var hiddenSize: Int
}
