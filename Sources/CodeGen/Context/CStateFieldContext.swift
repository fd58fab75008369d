/// One field of `name_state_t`: `type name[length]; /**< summary */`.
struct CStateFieldContext: Encodable {
  /// `float`, `int32_t` or `unsigned char`.
  var type: String
  /// The field's name.
  var name: String
  /// The array length as a C expression (e.g. `5` or `MODEL_MAX_STEPS * 8`), or `nil` for a scalar.
  var length: String?
  /// What it holds (comment-safe).
  var summary: String
}
