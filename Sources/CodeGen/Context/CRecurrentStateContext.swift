/// The state of one recurrent direction, as `name_reset` clears it.
struct CRecurrentStateContext: Encodable {
  /// The fields.
  var hiddenField: String
  var cellField: String
  var flagField: String
  /// H.
  var hiddenSize: Int
  /// Where `name_reset` takes h and c from (zeros, an initial-state parameter or a constant table).
  var hiddenLoad: CStateLoadContext
  var cellLoad: CStateLoadContext
  /// `[hiddenLoad, cellLoad]`, for loops.
  var loads: [CStateLoadContext]
}
