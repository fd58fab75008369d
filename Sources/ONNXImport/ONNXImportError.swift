/// Why an ONNX file cannot be imported. The description is one line without
/// the file's path (the CLI adds it) and says what is supported where it helps.
public enum ONNXImportError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file is larger than lstmc reads.
  case fileTooLarge(bytes: Int, limit: Int)
  /// The bytes are not a serialized `onnx.ModelProto` (or a truncated one).
  case notAModel(String)
  /// Subgraphs nest deeper than lstmc accepts.
  case graphTooDeep(limit: Int)
  /// The model has no graph.
  case noGraph
  /// A tensor's data does not fit its declared shape or type.
  case invalidTensor(name: String, reason: String)
  /// A tensor uses an element type lstmc does not read.
  case unsupportedDataType(name: String, dataType: Int32)
  /// A tensor's external data cannot be used.
  case externalData(name: String, reason: String)

  public var description: String {
    switch self {
    case .fileTooLarge(let bytes, let limit):
      return
        "the file has \(bytes) bytes; lstmc reads ONNX files of at most \(limit) bytes (keep large weights as external data)"
    case .notAModel(let reason):
      return "not an ONNX model: \(reason)"
    case .graphTooDeep(let limit):
      return "subgraphs are nested more than \(limit) levels deep; lstmc refuses such files"
    case .noGraph:
      return "the ONNX model has no graph"
    case .invalidTensor(let name, let reason):
      return "tensor '\(name)': \(reason)"
    case .unsupportedDataType(let name, let dataType):
      return "tensor '\(name)' has data type \(ONNXDataType(rawValue: dataType)?.name ?? "\(dataType)"); "
        + "supported: float, float16, bfloat16, double, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool"
    case .externalData(let name, let reason):
      return "tensor '\(name)': external data \(reason)"
    }
  }
}
