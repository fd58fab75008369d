/// A failure reported by the HDF5 wrapper.
///
/// HDF5's own error stack is silenced (see ``HDF5Library``); every failing call
/// becomes one of these cases, naming the object involved.
enum HDF5Error: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be opened as HDF5 (corrupt, truncated or not HDF5).
  case cannotOpenFile(String)
  /// A group, dataset or attribute that was asked for does not exist.
  case notFound(path: String)
  /// An object exists but is not of the kind asked for (a dataset where a group was expected, ...).
  case wrongObjectKind(path: String, expected: String)
  /// An attribute or dataset holds a type the wrapper cannot convert.
  case unsupportedType(path: String, reason: String)
  /// The object is larger than the wrapper is willing to read.
  case tooLarge(path: String)
  /// An HDF5 call failed while reading an object that exists.
  case readFailed(path: String, operation: String)

  var description: String {
    switch self {
    case .cannotOpenFile(let reason): return reason
    case .notFound(let path): return "'\(path)' does not exist"
    case .wrongObjectKind(let path, let expected): return "'\(path)' is not \(expected)"
    case .unsupportedType(let path, let reason): return "'\(path)': \(reason)"
    case .tooLarge(let path): return "'\(path)' is too large to read"
    case .readFailed(let path, let operation): return "cannot read '\(path)' (\(operation) failed)"
    }
  }
}
