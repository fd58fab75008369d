import ArgumentParser

/// One `--bind NAME=FILE`: the ONNX graph input `NAME` frozen to the value in `FILE`.
struct BindOption: ExpressibleByArgument, Equatable {
  /// The graph input's name.
  var name: String
  /// The file holding its value, as the user gave it.
  var file: String

  /// Parses `NAME=FILE` (split at the first `=`; both parts non-empty).
  init?(argument: String) {
    guard let equals = argument.firstIndex(of: "=") else { return nil }
    name = String(argument[..<equals])
    file = String(argument[argument.index(after: equals)...])
    guard !name.isEmpty, !file.isEmpty else { return nil }
  }

  static var defaultValueDescription: String { "NAME=FILE" }
}
