/// Where a model came from.
public struct ModelSource: Equatable, Sendable, Codable {
  /// The kind of file, e.g. `keras2-h5`, `keras3-h5`, `keras3-keras`, `onnx`.
  public var format: String
  /// The producing framework and its version, e.g. `tf-keras 2.21.0`.
  public var framework: String
  /// The file the model was imported from (as given on the command line).
  public var file: String

  /// Creates a source description.
  public init(format: String, framework: String, file: String) {
    self.format = format
    self.framework = framework
    self.file = file
  }
}
