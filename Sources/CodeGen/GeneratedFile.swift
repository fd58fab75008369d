/// One file the generator produced: its name (no folder) and its text.
public struct GeneratedFile: Sendable, Equatable {
  /// The file name, e.g. `model.h`.
  public var name: String
  /// The file's contents.
  public var contents: String

  /// Creates a generated file.
  public init(name: String, contents: String) {
    self.name = name
    self.contents = contents
  }
}
