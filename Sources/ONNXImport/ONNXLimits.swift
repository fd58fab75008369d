/// Limits that keep a hostile ONNX file from exhausting memory or stack.
public struct ONNXLimits: Sendable {
  /// The largest model file read (weights beyond this belong in external data).
  public var maximumFileSize: Int
  /// The deepest nesting of subgraphs (Loop/If/Scan bodies).
  public var maximumGraphDepth: Int
  /// The most elements one tensor may declare.
  public var maximumTensorElements: Int
  /// The largest external data file range read.
  public var maximumExternalBytes: Int

  /// Creates limits.
  public init(maximumFileSize: Int, maximumGraphDepth: Int, maximumTensorElements: Int, maximumExternalBytes: Int) {
    self.maximumFileSize = maximumFileSize
    self.maximumGraphDepth = maximumGraphDepth
    self.maximumTensorElements = maximumTensorElements
    self.maximumExternalBytes = maximumExternalBytes
  }

  /// 1 GiB files, subgraphs 16 deep, 2^28 elements per tensor, 4 GiB of external data.
  public static let `default` = ONNXLimits(
    maximumFileSize: 1 << 30, maximumGraphDepth: 16, maximumTensorElements: 1 << 28, maximumExternalBytes: 1 << 32)
}
