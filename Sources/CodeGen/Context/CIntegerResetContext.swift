/// What `name_reset` sets in integer code: a direction's h to the hidden zero point, its c to 0.
struct CIntegerResetContext: Encodable {
  var hidden: String
  var cell: String
  var size: Int
  var zero: Int32
}
