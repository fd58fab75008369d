/// A dense, row-major tensor of signed integers (int8, int16 or int32), the
/// storage of a quantized model's weights, biases, multipliers and shifts.
///
/// Elements are held as `Int32` whatever the element type; every element lies in
/// ``IntegerElementType/range`` of ``elementType``, so a file write and read is exact.
public struct IntegerTensor: Equatable, Sendable {
  /// The element type the tensor is stored as.
  public var elementType: IntegerElementType
  /// The extent of each axis, outermost first.
  public var shape: [Int]
  /// The elements in row-major order; `data.count` is the product of `shape`.
  public var data: [Int32]

  /// Creates a tensor, checking that `data` fits `shape` and `elementType`.
  public init(_ elementType: IntegerElementType, shape: [Int], data: [Int32]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
    precondition(
      shape.reduce(1, *) == data.count,
      "tensor of shape \(shape) needs \(shape.reduce(1, *)) elements, got \(data.count)")
    precondition(data.allSatisfy { elementType.range.contains($0) }, "a value does not fit \(elementType)")
    self.elementType = elementType
    self.shape = shape
    self.data = data
  }

  /// The number of elements.
  public var elementCount: Int { data.count }

  /// The bytes the tensor occupies as stored (and in generated code).
  public var byteCount: Int { data.count * elementType.byteWidth }
}
