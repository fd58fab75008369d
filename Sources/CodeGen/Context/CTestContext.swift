/// The data of `name_test.c`.
struct CTestContext: Encodable {
  /// The cases, in order.
  var cases: [CTestCaseContext]
  /// Per model output, the static buffer that receives a whole case's values.
  var buffers: [CTestBufferContext]
  /// Whether the model streams: the test then also checks `name_step` against `name_predict`.
  var streaming: Bool
  /// Whether the model takes per-sample lengths (each sample then runs its own number of steps).
  var hasLengths: Bool
  /// The number of initial-state inputs (`initial[]` of a case).
  var stateInputCount: Int
  /// `name_reset`'s arguments after the state for sample `b` of case `c`, e.g.
  /// `b, c->initial[0] + b * 8`; empty when none.
  var resetArguments: String
}
