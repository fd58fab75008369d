/// The header's memory report, in bytes.
struct CMemoryContext: Encodable {
  /// All `static const` tables.
  var weights: Int
  /// Recurrent state kept between steps.
  var state: Int
  /// Per-step work space inside `name_state_t`.
  var scratch: Int
  /// Sequence buffers inside `name_state_t` (0 for streaming models).
  var buffers: Int
  /// `sizeof(name_state_t)`: state + scratch + buffers, rounded up to a multiple of 4.
  var stateStruct: Int
  /// The measured code size, or `nil` (the template prints a placeholder).
  var code: Int?
  /// The measured stack use of `name_predict`, or `nil` (the template prints a placeholder).
  var stack: Int?
  /// The measured stack use of `name_step`, or `nil`.
  var stepStack: Int?
}
