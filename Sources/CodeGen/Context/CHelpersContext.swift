/// Shared helper functions and constants the generated source needs.
struct CHelpersContext: Encodable {
  /// `name_sigmoid(float)` (used by sigmoid and swish).
  var sigmoid: Bool
  /// `name_tanh(float)` (used by tanh and gelu_tanh).
  var tanh: Bool
  /// `name_exp(float)`, the fast mode's exponential (used by the fast sigmoid).
  var fastExp: Bool
  /// The same three for the C code, which in fast mode needs them only for activations it calls
  /// as array functions (a recurrent layer's sigmoid and tanh use the vectorized forms below).
  var cSigmoid: Bool
  var cTanh: Bool
  var cFastExp: Bool
  /// The sizes N of `name_vsigmoid_N` / `name_vtanh_N`, the vectorizable sigmoid and tanh over N
  /// values that recurrent layers use (C only).
  var vectorSigmoid: [Int]
  var vectorTanh: [Int]
  /// The length of `name_zeros`, a `static const` vector of zeros (0 when not needed).
  var zerosLength: Int
  /// The rows per block of `name_rows`, the row-block layout's dot-product kernel (0 when not needed).
  var rowBlock: Int
  /// `0 ..< rowBlock`, the lanes the templates unroll.
  var rowLanes: [Int]
  /// `name_rows` is the host's vector kernel (``TargetCore/host``), not the scalar cores' one.
  var vectorRows: Bool
  /// `0 ..< 8`, the vector sums the host's kernel keeps in registers.
  var vectorSums: [Int]
  /// SELU's constants, as C float literals.
  var seluAlpha: String
  var seluScale: String
  /// GELU's constants (`1/sqrt(2)`; `sqrt(2/pi)` and `0.044715` for the tanh form), as C float literals.
  var geluScale: String
  var geluTanhScale: String
  var geluCubic: String
}
