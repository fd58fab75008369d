/// One activation function the generated code defines: `static void function(float *v, size_t n)`,
/// applied in place to `n` values (softmax: over those `n` values).
struct CActivationContext: Encodable {
  /// The C function's name.
  var function: String
  /// `relu`, `sigmoid`, `tanh`, `hard_sigmoid`, `softmax`, `softsign`, `softplus`, `elu`, `selu`,
  /// `swish`, `gelu` (erf form), `gelu_tanh` (tanh approximation), `affine`, `leaky_relu`,
  /// `thresholded_relu` or `scaled_tanh`.
  var kind: String
  /// The activation with its parameters (comment-safe).
  var summary: String
  /// hard_sigmoid's slope, as a C float literal.
  var slope: String?
  /// hard_sigmoid's offset, as a C float literal.
  var offset: String?
  /// elu's, affine's, leaky_relu's, thresholded_relu's and scaled_tanh's alpha, as a C float literal.
  var alpha: String?
  /// affine's and scaled_tanh's beta, as a C float literal.
  var beta: String?
  /// Whether the C code calls the function (in fast mode a recurrent layer's sigmoid and tanh use
  /// `name_vsigmoid` / `name_vtanh` instead; the Swift code always calls it).
  var calledInC: Bool = true

  init(function: String, kind: String, summary: String, calledInC: Bool = true) {
    self.function = function
    self.kind = kind
    self.summary = summary
    self.calledInC = calledInC
  }
}
