/// One call of a direction's `_run` function in `sequenceOperations`.
struct CRunCallContext: Encodable {
  /// The function, e.g. `model_l0_bwd_run`.
  var function: String
  /// Whether it takes the output sequence (`destination`) as its last argument.
  var writesSequence: Bool
  /// The call's arguments, e.g. `state, x, steps, mask, state->seq_a`.
  var arguments: String
}
