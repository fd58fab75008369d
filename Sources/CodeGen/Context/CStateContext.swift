/// The fields of `name_state_t`, grouped by what they hold.
struct CStateContext: Encodable {
  /// h, c and output flags of every recurrent direction: kept between steps, cleared by `name_reset`.
  var persistent: [CStateFieldContext]
  /// Per-step work space: not preserved between calls.
  var scratch: [CStateFieldContext]
  /// Sequence buffers `NAME_MAX_STEPS` long (models that buffer only).
  var buffers: [CStateFieldContext]
  /// The recurrent directions `name_reset` clears.
  var recurrent: [CRecurrentStateContext]
  /// Whether some direction keeps a cell state c (an LSTM's; a GRU keeps h only), for documentation.
  var hasCellState: Bool
}
