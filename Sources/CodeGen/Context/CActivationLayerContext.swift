/// A standalone Activation layer: `static void function(const float *x, float *y)` for one step.
struct CActivationLayerContext: Encodable {
  /// The C function.
  var function: String
  /// Features per step (softmax acts over these).
  var size: Int
  /// The activation.
  var activation: CActivationReference
}
