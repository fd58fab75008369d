/// A static buffer of the test program that receives one output for a whole case.
struct CTestBufferContext: Encodable {
  /// The output's index.
  var output: Int
  /// The buffer's name.
  var symbol: String
  /// Its length: the largest case's `batch x steps x size` (sequences) or `batch x size`.
  var length: Int
}
