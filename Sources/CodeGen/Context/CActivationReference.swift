/// An activation as a layer uses it.
struct CActivationReference: Encodable {
  /// The vector function to call as `function(values, length)`, or `nil` for linear (nothing to call).
  var function: String?
  /// The activation with its parameters, e.g. `hard_sigmoid(slope: 0.2, offset: 0.5)`.
  var summary: String
}
