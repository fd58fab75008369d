/// A dense, row-major float32 tensor.
///
/// Every weight in the canonical model and every value the interpreter passes
/// between layers is a `Tensor`. Integer inputs (Embedding indices) are carried
/// as exact floats; float32 represents every integer up to 2^24 exactly.
public struct Tensor: Equatable, Sendable {
  /// The extent of each axis, outermost first.
  public var shape: [Int]
  /// The elements in row-major order; `data.count` is the product of `shape`.
  public var data: [Float]

  /// Creates a tensor, checking that `data` fits `shape`.
  public init(shape: [Int], data: [Float]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
    precondition(
      shape.reduce(1, *) == data.count,
      "tensor of shape \(shape) needs \(shape.reduce(1, *)) elements, got \(data.count)")
    self.shape = shape
    self.data = data
  }

  /// A tensor of the given shape filled with `value`.
  public init(shape: [Int], repeating value: Float = 0) {
    self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)))
  }

  /// The number of elements.
  public var elementCount: Int { data.count }

  /// Bitwise equality: unlike `==`, distinguishes `-0` from `0` and compares NaN payloads.
  public func isBitwiseIdentical(to other: Tensor) -> Bool {
    shape == other.shape
      && data.count == other.data.count
      && zip(data, other.data).allSatisfy { $0.bitPattern == $1.bitPattern }
  }
}
