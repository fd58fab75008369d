/// How sigmoid and tanh are computed.
struct CMathContext: Encodable {
  /// `exact` or `fast`.
  var mode: String
  /// Whether the fast approximations are used.
  var isFast: Bool
  /// One line for the C files' comments: what the generated C evaluates sigmoid and tanh with.
  var summary: String
  /// The same for the Swift files, which call libm in exact mode.
  var swiftSummary: String
}
