/// One test case.
struct CTestCaseContext: Encodable {
  /// Its position.
  var index: Int
  /// Its name (comment-safe) and as a C string literal.
  var name: String
  var nameLiteral: String
  /// Samples.
  var batch: Int
  /// Steps per sample.
  var steps: Int
  /// The inputs, `[batch x steps x NAME_INPUT_SIZE]` (`float` or `int32_t`; values in `testTables`).
  var input: CTableReference
  /// The per-sample lengths (`int32_t`), when the model takes them.
  var lengths: CTableReference?
  /// The initial states, one table `[batch x size]` per initial-state input, in the model's order.
  var stateInputs: [CTableReference]
  /// The expected outputs, one per model output (values in `testTables`).
  var expected: [CTableReference]
  /// The tolerance as C double literals.
  var absTolerance: String
  var relTolerance: String
}
