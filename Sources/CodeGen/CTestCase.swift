import CanonicalModel

/// One test case for `NAME_test.c`: model inputs and the outputs expected for them.
public struct CTestCase: Sendable {
  /// A name for the report, e.g. the fixture's file name.
  public var name: String
  /// One tensor per model input, in the model's input order, batch first
  /// (`[batch, time, features]`, or `[batch, time]` for int32 indices carried as exact floats).
  public var inputs: [Tensor]
  /// One tensor per model output, in the model's output order, batch first.
  public var expected: [Tensor]
  /// An element passes when `|actual - expected| <= abs + rel * |expected|`.
  public var tolerance: (abs: Double, rel: Double)

  /// Creates a test case.
  public init(name: String, inputs: [Tensor], expected: [Tensor], tolerance: (abs: Double, rel: Double)) {
    self.name = name
    self.inputs = inputs
    self.expected = expected
    self.tolerance = tolerance
  }
}
