/// How sigmoid and tanh are computed.
struct CMathContext: Encodable {
  /// `exact` or `fast`.
  var mode: String
  /// Whether the fast approximations are used.
  var isFast: Bool
  /// One line for comments.
  var summary: String
}
