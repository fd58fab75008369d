/// The data of `name_test.c`.
struct CTestContext: Encodable {
  /// The cases, in order.
  var cases: [CTestCaseContext]
  /// Per model output, the static buffer that receives a whole case's values.
  var buffers: [CTestBufferContext]
  /// Whether the model streams: the test then also checks `name_step` against `name_predict`.
  var streaming: Bool
}
