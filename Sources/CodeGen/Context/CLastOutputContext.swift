/// One direction's last output, for `mergeLastOutputs`.
struct CLastOutputContext: Encodable {
  var hiddenField: String
  var flagField: String
  /// H.
  var size: Int
}
