/// An activation as a layer uses it.
struct CActivationReference: Encodable {
  /// The vector function to call as `function(values, length)`, or `nil` for linear (nothing to call).
  var function: String?
  /// The activation with its parameters, e.g. `hard_sigmoid(slope: 0.2, offset: 0.5)`.
  var summary: String
  /// In fast mode, for the standard sigmoid and tanh of a recurrent layer: the vectorizable
  /// `static inline void vector(float *v, const float *x, size_t n)` (v = f(x), v may be x) the C
  /// code calls instead of `function`.
  var vector: String? = nil
}
