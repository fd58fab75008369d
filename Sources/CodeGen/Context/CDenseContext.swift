/// A Dense (or TimeDistributed(Dense)) layer: `static void function(const float *x, float *y)`.
struct CDenseContext: Encodable {
  /// The C function computing one step.
  var function: String
  /// Input features.
  var inputSize: Int
  /// Output features.
  var units: Int
  /// The kernel `[inputSize x units]`: row k holds the weights input k feeds into every unit.
  var kernel: CTableReference
  /// The bias `[units]`, when the layer has one.
  var bias: CTableReference?
  /// The activation applied to the result.
  var activation: CActivationReference
}
