import CanonicalModel

/// A decoded ONNX tensor: floating-point types widened to float32, integer and
/// bool types kept as 64-bit integers. No protobuf memory is referenced.
public struct ONNXTensor: Equatable, Sendable {
  /// The tensor's name (empty when it has none).
  public var name: String
  /// The dimensions.
  public var dims: [Int]
  /// The element type as stored in the file.
  public var dataType: ONNXDataType
  /// The values of a floating-point tensor, widened to float32 (row-major).
  public var floats: [Float]
  /// The values of an integer or bool tensor (row-major).
  public var integers: [Int64]

  /// Creates a tensor.
  public init(name: String, dims: [Int], dataType: ONNXDataType, floats: [Float] = [], integers: [Int64] = []) {
    self.name = name
    self.dims = dims
    self.dataType = dataType
    self.floats = floats
    self.integers = integers
  }

  /// The number of elements.
  public var elementCount: Int { dataType.isFloatingPoint ? floats.count : integers.count }

  /// The values as a canonical float32 tensor (integers converted).
  public var asTensor: Tensor {
    Tensor(shape: dims, data: dataType.isFloatingPoint ? floats : integers.map { Float($0) })
  }
}
