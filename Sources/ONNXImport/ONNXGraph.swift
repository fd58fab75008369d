/// A decoded graph: nodes in file order, initializers by name, inputs and outputs.
public struct ONNXGraph: Equatable, Sendable {
  /// The graph's name.
  public var name: String
  /// The nodes, topologically sorted as ONNX requires.
  public var nodes: [ONNXNode]
  /// Constant tensors.
  public var initializers: [ONNXTensor]
  /// Declared inputs (may include initializers in older IR versions).
  public var inputs: [ONNXValueInfo]
  /// Declared outputs.
  public var outputs: [ONNXValueInfo]

  /// Creates a graph.
  public init(
    name: String, nodes: [ONNXNode], initializers: [ONNXTensor], inputs: [ONNXValueInfo], outputs: [ONNXValueInfo]
  ) {
    self.name = name
    self.nodes = nodes
    self.initializers = initializers
    self.inputs = inputs
    self.outputs = outputs
  }

  /// The initializer called `name`, if any.
  public func initializer(named name: String) -> ONNXTensor? {
    initializers.first { $0.name == name }
  }

  /// The graph inputs that are real inputs (not initializers listed as inputs).
  public var runtimeInputs: [ONNXValueInfo] {
    let constants = Set(initializers.map(\.name))
    return inputs.filter { !constants.contains($0.name) }
  }
}
