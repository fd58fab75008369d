/// Where a layer came from, for error messages and `inspect`.
public struct LayerOrigin: Equatable, Sendable, Codable {
  /// The layer's (or node's) name in the source file.
  public var name: String
  /// The source's class or op type, e.g. `LSTM`, `Bidirectional`, `Gemm`.
  public var className: String

  /// Creates an origin.
  public init(name: String, className: String) {
    self.name = name
    self.className = className
  }
}
