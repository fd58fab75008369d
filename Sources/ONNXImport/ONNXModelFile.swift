import Foundation

/// A decoded ONNX model file: producer, operator sets and the main graph.
public struct ONNXModelFile: Equatable, Sendable {
  /// `ir_version`.
  public var irVersion: Int64
  /// The producing tool, e.g. `pytorch`, `tf2onnx`.
  public var producerName: String
  /// Its version.
  public var producerVersion: String
  /// Operator set versions by domain (`""` is the default ONNX domain).
  public var opsets: [String: Int64]
  /// The main graph.
  public var graph: ONNXGraph

  /// Creates a decoded model.
  public init(
    irVersion: Int64, producerName: String, producerVersion: String, opsets: [String: Int64], graph: ONNXGraph
  ) {
    self.irVersion = irVersion
    self.producerName = producerName
    self.producerVersion = producerVersion
    self.opsets = opsets
    self.graph = graph
  }

  /// The default-domain opset version (ONNX's `ai.onnx`).
  public var opset: Int64 { opsets[""] ?? opsets["ai.onnx"] ?? 0 }

  /// Reads and decodes the model at `url`, resolving external tensor data
  /// relative to the model's folder.
  public init(contentsOf url: URL, limits: ONNXLimits = .default) throws {
    let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
    let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
    guard size <= limits.maximumFileSize else {
      throw ONNXImportError.fileTooLarge(bytes: size, limit: limits.maximumFileSize)
    }
    let data = try Data(contentsOf: url)
    try self.init(data: data, folder: url.deletingLastPathComponent(), limits: limits)
  }

  /// Decodes a serialized model held in memory. External tensor data is resolved relative to
  /// `folder`; with no folder, a tensor with external data is an error.
  public init(data: Data, folder: URL?, limits: ONNXLimits = .default) throws {
    self = try ONNXDecoder(limits: limits, folder: folder).decodeModel(data)
  }
}
