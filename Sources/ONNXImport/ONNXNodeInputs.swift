/// A node's input names, read with their arity checked.
///
/// Every importer reads node inputs through this type: a required input the
/// node does not have (or leaves empty, ONNX's spelling of an omitted optional
/// input) is an ``ONNXImportError/invalidNode(node:reason:)`` that names the
/// node and its op type, never an index out of range.
struct ONNXNodeInputs {
  /// The node whose inputs are read.
  let node: ONNXNode

  /// Wraps `node`'s inputs.
  init(_ node: ONNXNode) {
    self.node = node
  }

  /// How many inputs the node lists (omitted optional ones included).
  var count: Int { node.inputs.count }

  /// Every listed input name, in order.
  var names: [String] { node.inputs }

  /// The required input at `index` (0-based).
  subscript(index: Int) -> String {
    get throws {
      guard index < node.inputs.count else {
        throw ONNXImportError.invalidNode(
          node: node.displayName,
          reason: "\(node.opType) needs at least \(index + 1) input(s), the node has \(node.inputs.count)")
      }
      guard !node.inputs[index].isEmpty else {
        throw ONNXImportError.invalidNode(
          node: node.displayName, reason: "\(node.opType) input \(index + 1) is required but left empty")
      }
      return node.inputs[index]
    }
  }

  /// The optional input at `index` (0-based): `nil` when the node lists fewer inputs or leaves it empty.
  func optional(_ index: Int) -> String? {
    index < node.inputs.count && !node.inputs[index].isEmpty ? node.inputs[index] : nil
  }
}
