/// A decoded graph node.
public struct ONNXNode: Equatable, Sendable {
  /// The node's name (may be empty).
  public var name: String
  /// The operator, e.g. `LSTM`, `Gemm`.
  public var opType: String
  /// The operator set domain (empty for the default ONNX domain).
  public var domain: String
  /// Input value names, in order; an empty name is an omitted optional input.
  public var inputs: [String]
  /// Output value names, in order; an empty name is an omitted optional output.
  public var outputs: [String]
  /// Attributes by name.
  public var attributes: [String: ONNXAttribute]

  /// Creates a node.
  public init(
    name: String, opType: String, domain: String = "", inputs: [String], outputs: [String],
    attributes: [String: ONNXAttribute] = [:]
  ) {
    self.name = name
    self.opType = opType
    self.domain = domain
    self.inputs = inputs
    self.outputs = outputs
    self.attributes = attributes
  }

  /// A name for messages: the node's name, or its op type and first output present.
  public var displayName: String {
    name.isEmpty ? "\(opType) -> \(outputs.first { !$0.isEmpty } ?? "?")" : name
  }
}
