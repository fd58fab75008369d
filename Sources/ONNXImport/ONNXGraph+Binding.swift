extension ONNXGraph {
  /// The graph with each of `bindings` as the constant value of the graph input it names.
  ///
  /// A bound input becomes an initializer, so it is no longer a runtime input: an operand that must be
  /// constant (W, R, B, P, a weight) can read it, and an initial state or `sequence_lens` becomes a
  /// constant of the layer. An input that already has an initializer (files exported with
  /// `keep_initializers_as_inputs`) gets the bound value instead. Each value must fit the input's
  /// declared element type (floating point or integer; float values are widened to float32 anyway) and
  /// every fixed dimension of its declared shape.
  ///
  /// - Throws: ``ONNXImportError/unknownBinding(name:graphInputs:)`` for a name that is not a declared
  ///   graph input, ``ONNXImportError/bindingMismatch(name:reason:)`` for a value that does not fit.
  public func binding(_ bindings: [String: ONNXTensor]) throws -> ONNXGraph {
    var graph = self
    for name in bindings.keys.sorted() {
      guard var tensor = bindings[name] else { continue }
      guard let info = inputs.first(where: { $0.name == name }) else {
        throw ONNXImportError.unknownBinding(name: name, graphInputs: inputs.map(\.name))
      }
      try Self.check(tensor, fits: info)
      tensor.name = name
      if let index = graph.initializers.firstIndex(where: { $0.name == name }) {
        graph.initializers[index] = tensor
      } else {
        graph.initializers.append(tensor)
      }
    }
    return graph
  }

  /// Refuses a value whose element type or shape contradicts the input's declaration.
  static func check(_ tensor: ONNXTensor, fits info: ONNXValueInfo) throws {
    if let declared = info.elementType, declared != .undefined,
      declared.isFloatingPoint != tensor.dataType.isFloatingPoint
    {
      throw ONNXImportError.bindingMismatch(
        name: info.name, reason: "it is \(tensor.dataType.name), the input is declared \(declared.name)")
    }
    guard let shape = info.shape else { return }
    let text = "[" + shape.map { $0.fixed.map(String.init) ?? "?" }.joined(separator: ", ") + "]"
    let fits =
      shape.count == tensor.dims.count
      && zip(shape, tensor.dims).allSatisfy { dimension, size in dimension.fixed.map { $0 == size } ?? true }
    guard fits else {
      throw ONNXImportError.bindingMismatch(
        name: info.name, reason: "it has shape \(tensor.dims), the input is declared \(text)")
    }
  }
}
