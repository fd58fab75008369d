/// A Masking layer: `static int function(const float *x, float *y)` copies one step (or writes zeros
/// and returns 1 when every feature equals the mask value).
struct CMaskingContext: Encodable {
  /// The C function.
  var function: String
  /// Features per step.
  var features: Int
  /// The mask value as a C float literal.
  var maskValue: String
}
