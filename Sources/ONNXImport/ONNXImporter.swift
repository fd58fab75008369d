import CanonicalModel
import Foundation

/// Imports an ONNX model into the canonical model.
///
/// Graphs made only of one `LSTM` or `GRU` node (every input, output and
/// attribute of the operator, opsets 7 to 22) with `Cast`, `Identity` and
/// `Constant` nodes around it map directly. Other graphs (PyTorch and tf2onnx exports) go
/// through ``ONNXGraphMapper``, which folds constants, drops the subgraphs that
/// build zero initial states and maps the rest onto a chain of layers; a node
/// it cannot map is an error naming the node, its op type and what is supported.
///
/// Graph inputs can be bound to constant values before import (``importModel(_:fileName:bindings:)``),
/// which is how weights given as graph inputs (ONNX's backend tests, many hand-written files) import.
public enum ONNXImporter {
  /// The op types lstmc maps today.
  static let supportedOps = ["LSTM", "GRU", "Cast", "Identity", "Constant"]

  /// Reads, decodes and imports the model at `url`, with `bindings` as the values of the graph inputs
  /// they name (see ``importModel(_:fileName:bindings:)``).
  public static func importModel(
    at url: URL, limits: ONNXLimits = .default, bindings: [String: ONNXTensor] = [:]
  ) throws -> Model {
    let file = try ONNXModelFile(contentsOf: url, limits: limits)
    return try importModel(file, fileName: url.lastPathComponent, bindings: bindings)
  }

  /// Decodes and imports a serialized model held in memory, as ``importModel(at:limits:)`` does a file
  /// (without a folder, so a tensor with external data is an error). `fileName` names the model in messages
  /// and in ``CanonicalModel/ModelSource``.
  public static func importModel(bytes: Data, fileName: String, limits: ONNXLimits = .default) throws -> Model {
    try importModel(ONNXModelFile(data: bytes, folder: nil, limits: limits), fileName: fileName)
  }

  /// Imports a decoded model.
  ///
  /// `bindings` give graph inputs constant values, by input name (``ONNXGraph/binding(_:)``): a weight
  /// given as a graph input imports only when bound, and a bound initial state or `sequence_lens`
  /// becomes a constant of the layer instead of a model input. Without a binding, an initializer that
  /// is also listed as a graph input is a constant with the initializer's value.
  public static func importModel(
    _ file: ONNXModelFile, fileName: String, bindings: [String: ONNXTensor] = [:]
  ) throws -> Model {
    var file = file
    file.graph = try file.graph.binding(bindings)
    let graph = file.graph
    var constants: [String: ONNXTensor] = [:]
    for initializer in graph.initializers { constants[initializer.name] = initializer }
    let runtimeInputs = graph.runtimeInputs
    let runtimeNames = Set(runtimeInputs.map(\.name))
    /// Values that are a runtime value under another name (Identity, Cast): name → root.
    var aliases: [String: String] = [:]
    var produced = Set<String>()
    var recurrentNodes: [ONNXNode] = []

    for node in graph.nodes {
      let name = node.displayName
      switch node.opType {
      case "Loop", "Scan", "If":
        throw ONNXImportError.controlFlow(opType: node.opType, node: name)
      case "RNN" where node.domain.isEmpty || node.domain == "ai.onnx":
        throw ONNXImportError.simpleRNN(node: name)
      default: break
      }
    }
    if graph.nodes.contains(where: { !supportedOps.contains($0.opType) }) {
      // An exported graph (PyTorch): map it node by node onto a chain of layers.
      var mapper = ONNXGraphMapper(file: file)
      var model = try mapper.run()
      model.source.file = fileName
      do {
        try model.validate()
      } catch let error as ModelValidationError {
        throw ONNXImportError.unsupportedGraph("the imported model is invalid: \(error)")
      }
      return model
    }
    func resolve(_ value: String, node: ONNXNode) throws -> String {
      let root = aliases[value] ?? value
      guard constants[root] != nil || runtimeNames.contains(root) || produced.contains(root) else {
        throw ONNXImportError.missingValue(node: node.displayName, input: value)
      }
      return root
    }
    for node in graph.nodes {
      guard node.domain.isEmpty || node.domain == "ai.onnx" else {
        throw ONNXImportError.unsupportedOp(
          opType: "\(node.domain).\(node.opType)", node: node.displayName, supported: supportedOps)
      }
      switch node.opType {
      case "Constant":
        guard let output = node.outputs.first, case .tensor(var tensor)? = node.attributes["value"] else {
          throw ONNXImportError.invalidNode(node: node.displayName, reason: "Constant without a tensor 'value'")
        }
        tensor.name = output
        constants[output] = tensor
      case "Identity", "Cast":
        guard let input = node.inputs.first, let output = node.outputs.first else {
          throw ONNXImportError.invalidNode(node: node.displayName, reason: "needs one input and one output")
        }
        let root = try resolve(input, node: node)
        if let constant = constants[root] {
          constants[output] = try cast(constant, node: node, name: output)
        } else {
          if node.opType == "Cast", let target = node.attributes["to"]?.int,
            let type = Int32(exactly: target).flatMap(ONNXDataType.init(rawValue:)), !type.isFloatingPoint
          {
            throw ONNXImportError.unsupportedAttribute(
              node: node.displayName, attribute: "to", value: type.name,
              supported: "casts between float, float16, bfloat16 and double of non-constant values")
          }
          aliases[output] = root
        }
      case "LSTM", "GRU":
        for input in node.inputs where !input.isEmpty { _ = try resolve(input, node: node) }
        recurrentNodes.append(node)
        for output in node.outputs where !output.isEmpty { produced.insert(output) }
      default:
        throw ONNXImportError.unsupportedOp(opType: node.opType, node: node.displayName, supported: supportedOps)
      }
    }
    guard recurrentNodes.count == 1, let node = recurrentNodes.first else {
      throw ONNXImportError.unsupportedGraph(
        "a graph of only LSTM, GRU, Cast, Identity and Constant nodes must have exactly one LSTM or GRU node; "
          + "this one has \(recurrentNodes.count)")
    }
    var converter = try ONNXRecurrentConverter(
      node: node, opset: file.opset, constants: constants, aliases: aliases, graphInputs: runtimeInputs)
    let recurrent = try converter.layer()
    let cellName = converter.cell.opType

    var inputs = [converter.sequenceInput]
    inputs += converter.extraInputs.sorted { a, b in
      (runtimeInputs.firstIndex { $0.name == a.name } ?? 0) < (runtimeInputs.firstIndex { $0.name == b.name } ?? 0)
    }
    let usedNames = Set(inputs.map(\.name))
    if let unused = runtimeInputs.first(where: { !usedNames.contains($0.name) }) {
      throw ONNXImportError.unsupportedGraph("graph input '\(unused.name)' is not read by the \(cellName) node")
    }
    var outputs: [ModelOutput] = []
    for output in graph.outputs {
      let root = aliases[output.name] ?? output.name
      guard let index = node.outputs.firstIndex(of: root), let mapped = converter.output(index, name: output.name)
      else {
        throw ONNXImportError.unsupportedGraph("graph output '\(output.name)' is not an output of the \(cellName) node")
      }
      outputs.append(mapped)
    }
    let framework = [file.producerName, file.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
    let model = Model(
      inputs: inputs,
      layers: [
        Layer(
          name: node.name.isEmpty ? cellName.lowercased() : node.name, kind: recurrent,
          origin: LayerOrigin(name: node.displayName, className: cellName))
      ],
      outputs: outputs,
      source: ModelSource(
        format: "onnx (opset \(file.opset))", framework: framework.isEmpty ? "onnx" : framework, file: fileName))
    do {
      try model.validate()
    } catch let error as ModelValidationError {
      throw ONNXImportError.unsupportedGraph("the imported model is invalid: \(error)")
    }
    return model
  }

  /// Folds a Cast or Identity of a constant.
  static func cast(_ tensor: ONNXTensor, node: ONNXNode, name: String) throws -> ONNXTensor {
    var result = tensor
    result.name = name
    guard node.opType == "Cast", let target = node.attributes["to"]?.int else { return result }
    guard let type = Int32(exactly: target).flatMap(ONNXDataType.init(rawValue:)) else {
      throw ONNXImportError.unsupportedAttribute(
        node: node.displayName, attribute: "to", value: "\(target)", supported: "numeric types")
    }
    switch (tensor.dataType.isFloatingPoint, type.isFloatingPoint) {
    case (true, false):
      // NaN, infinities and values beyond int64 have no integer value (ONNX leaves them undefined): refuse them.
      result.integers = try tensor.floats.map { value in
        guard let integer = Int64(exactly: value.rounded(.towardZero)) else {
          throw ONNXImportError.invalidNode(
            node: node.displayName,
            reason: "Cast of constant '\(tensor.name)' to \(type.name): its value \(value) has no integer value")
        }
        return integer
      }
      result.floats = []
    case (false, true):
      result.floats = tensor.integers.map { Float($0) }
      result.integers = []
    default: break
    }
    // A narrowing cast rounds as the runtime would.
    switch type {
    case .float16: result.floats = result.floats.map { Float(Float16($0)) }
    case .bfloat16:
      result.floats = result.floats.map { value in
        guard value.isFinite else { return value }
        let bits = value.bitPattern
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return Float(bitPattern: rounded & 0xFFFF_0000)
      }
    default: break
    }
    result.dataType = type
    return result
  }
}
