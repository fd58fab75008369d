/// The state of one recurrent direction, as `name_reset` clears it.
struct CRecurrentStateContext: Encodable {
  /// The fields (`cellField` for an LSTM only).
  var hiddenField: String
  var cellField: String?
  var flagField: String
  /// H.
  var hiddenSize: Int
  /// Where `name_reset` takes h and c (an LSTM only) from (zeros, an initial-state parameter or a
  /// constant table).
  var hiddenLoad: CStateLoadContext
  var cellLoad: CStateLoadContext?
  /// `[hiddenLoad, cellLoad]` (`[hiddenLoad]` for a GRU), for loops.
  var loads: [CStateLoadContext]
}
