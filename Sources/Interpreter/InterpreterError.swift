import CanonicalModel

/// Why ``Interpreter/run(_:)`` rejected its inputs.
///
/// Every message is one line that names the offending input or layer and says
/// what was expected. Model defects are reported by ``Interpreter/init(model:)``
/// as `ModelValidationError`.
public enum InterpreterError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The number of input tensors differs from `model.inputs.count`.
  case wrongInputCount(expected: [String], got: Int)
  /// An input tensor's rank differs from its ``ModelInput/shape``.
  case inputRankMismatch(input: String, expected: [Int?], got: [Int])
  /// One axis of an input tensor does not fit its ``ModelInput/shape``: a fixed
  /// extent differs, or a free (`nil`) extent is zero. `axisName` is `batch`,
  /// `time` or `features`.
  case inputDimensionMismatch(input: String, axis: Int, axisName: String, expected: [Int?], got: [Int])
  /// Two inputs disagree on the batch size.
  case batchMismatch(input: String, batch: Int, expected: Int, firstInput: String)
  /// An Embedding index is not an integer (or not finite).
  case embeddingIndexNotInteger(layer: String, sample: Int, step: Int, value: Float)
  /// An Embedding index lies outside `0..<vocabularySize`.
  case embeddingIndexOutOfRange(layer: String, sample: Int, step: Int, index: Int, vocabularySize: Int)

  /// A sequence length is not an integer in `0...time`.
  case invalidSequenceLength(input: String, sample: Int, length: Float, time: Int)
  /// A layer's constant initial state or lengths were made for another batch size.
  case constantBatchMismatch(layer: String, batch: Int, expected: Int)

  public var description: String {
    switch self {
    case .invalidSequenceLength(let input, let sample, let length, let time):
      return "input '\(input)': sequence length of sample \(sample) is \(length), expected an integer in 0...\(time)"
    case .constantBatchMismatch(let layer, let batch, let expected):
      return
        "layer '\(layer)' has a constant initial state or sequence lengths for batch \(expected), got batch \(batch)"
    case .wrongInputCount(let expected, let got):
      let names = expected.map { "'\($0)'" }.joined(separator: ", ")
      return "the model takes \(expected.count) input tensor\(expected.count == 1 ? "" : "s") (\(names)), got \(got)"
    case .inputRankMismatch(let input, let expected, let got):
      return "input '\(input)': expected a rank-\(expected.count) tensor \(Self.format(expected)), "
        + "got shape \(got)"
    case .inputDimensionMismatch(let input, let axis, let axisName, let expected, let got):
      let requirement = expected.indices.contains(axis) ? expected[axis].map { "must be \($0)" } : nil
      return "input '\(input)': axis \(axis) (\(axisName)) \(requirement ?? "must be at least 1"), got shape \(got); "
        + "expected \(Self.format(expected))"
    case .batchMismatch(let input, let batch, let expected, let firstInput):
      return "input '\(input)': batch size \(batch) differs from input '\(firstInput)' (batch \(expected)); "
        + "all inputs must have the same batch size"
    case .embeddingIndexNotInteger(let layer, let sample, let step, let value):
      return "layer '\(layer)' (Embedding): index at sample \(sample), step \(step) is \(value), expected an integer"
    case .embeddingIndexOutOfRange(let layer, let sample, let step, let index, let vocabularySize):
      return "layer '\(layer)' (Embedding): index at sample \(sample), step \(step) is \(index), "
        + "expected 0..<\(vocabularySize)"
    }
  }

  /// A shape such as `[batch, ?, 3]`.
  static func format(_ shape: [Int?]) -> String {
    let parts = shape.enumerated().map { axis, extent in
      extent.map(String.init) ?? (axis == 0 ? "batch" : "?")
    }
    return "[" + parts.joined(separator: ", ") + "]"
  }
}
