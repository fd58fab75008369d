/// What `name_reset` sets in integer code: a direction's h to the hidden zero point, its c (LSTM only) to 0.
struct CIntegerResetContext: Encodable {
  var hidden: String
  var cell: String
  /// Whether the direction has a cell state (an LSTM; a GRU has none and `cell` is empty).
  var hasCell: Bool = true
  var size: Int
  var zero: Int32
}
