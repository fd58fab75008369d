/// What produced a fixture's expected outputs.
public struct FixtureProducer: Equatable, Sendable, Codable {
  /// The framework, e.g. `tf-keras`, `keras`, `onnxruntime`.
  public var framework: String
  /// Its version.
  public var version: String
  /// The script that ran it, if recorded.
  public var script: String?

  /// Creates a producer description.
  public init(framework: String, version: String, script: String? = nil) {
    self.framework = framework
    self.version = version
    self.script = script
  }
}
