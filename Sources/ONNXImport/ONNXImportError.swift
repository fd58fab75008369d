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

  /// A node whose op type lstmc cannot map onto the canonical model.
  case unsupportedOp(opType: String, node: String, supported: [String])
  /// A control-flow node (`Loop`, `Scan`, `If`), e.g. tf2onnx's masked LSTMs and reset-before GRUs.
  case controlFlow(opType: String, node: String)
  /// An attribute value lstmc (or ONNX) does not know.
  case unsupportedAttribute(node: String, attribute: String, value: String, supported: String)
  /// A node input that is neither an initializer, a graph input nor another node's output.
  case missingValue(node: String, input: String)
  /// A graph lstmc can read but not map (yet); the reason says what is missing.
  case unsupportedGraph(String)
  /// A node's inputs or attributes do not fit together.
  case invalidNode(node: String, reason: String)
  /// An operand that must be constant (an LSTM's or GRU's W, R, B or P, a Gemm or MatMul weight, an Embedding
  /// table) is a graph input with no value; binding the input (``ONNXImporter/importModel(_:fileName:bindings:)``)
  /// makes it one.
  case graphInputNotConstant(opType: String, node: String, operand: String, input: String)
  /// An ONNX `RNN` node: the simple recurrent cell, which the canonical model does not have.
  case simpleRNN(node: String)
  /// A binding names no graph input.
  case unknownBinding(name: String, graphInputs: [String])
  /// A bound value's shape or element type does not fit the graph input it binds.
  case bindingMismatch(name: String, reason: String)

  public var description: String {
    switch self {
    case .unsupportedOp(let opType, let node, let supported):
      return "node '\(node)' has op type \(opType), which lstmc cannot import; supported: "
        + supported.joined(separator: ", ")
    case .controlFlow(let opType, let node):
      return "node '\(node)' is a \(opType): recurrences written as ONNX control flow (tf2onnx writes one for "
        + "masked or unusual Keras LSTMs and GRUs, e.g. a GRU with reset_after=False) are not supported; "
        + "export a model that uses the LSTM or GRU op"
    case .unsupportedAttribute(let node, let attribute, let value, let supported):
      return "node '\(node)': \(attribute) \(value) is not supported; supported: \(supported)"
    case .missingValue(let node, let input):
      return "node '\(node)' reads '\(input)', which is neither an initializer, a graph input nor a node output"
    case .unsupportedGraph(let reason):
      return "the graph is not supported yet: \(reason)"
    case .invalidNode(let node, let reason):
      return "node '\(node)': \(reason)"
    case .graphInputNotConstant(let opType, let node, let operand, let input):
      return
        "\(opType) node '\(node)': \(operand) is graph input '\(input)', not a constant; bind it with --bind \(input)=FILE "
        + "(FILE: a TensorProto .pb, a NumPy .npy, or a fixture holding '\(input)')"
    case .simpleRNN(let node):
      return "node '\(node)' is an RNN (ONNX's simple recurrent cell), which lstmc cannot import; "
        + "supported recurrent ops: LSTM, GRU"
    case .unknownBinding(let name, let graphInputs):
      return "--bind names '\(name)', which is not a graph input; graph inputs: "
        + (graphInputs.isEmpty ? "none" : graphInputs.joined(separator: ", "))
    case .bindingMismatch(let name, let reason):
      return "the value bound to graph input '\(name)' does not fit it: \(reason)"
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
