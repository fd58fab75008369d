/// Why a fixture cannot be read or does not fit the model. These are input
/// errors (exit code 2), never numerical failures.
public enum FixtureError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file cannot be read.
  case unreadable(String)
  /// The file is not JSON, or not an `lstmc-fixture-1` document.
  case invalidFormat(String)
  /// A tensor entry is malformed.
  case invalidTensor(name: String, reason: String)
  /// The fixture's inputs or outputs do not fit the model.
  case mismatch(String)

  public var description: String {
    switch self {
    case .unreadable(let reason): return "cannot read fixture: \(reason)"
    case .invalidFormat(let reason): return "not a valid lstmc-fixture-1 fixture: \(reason)"
    case .invalidTensor(let name, let reason): return "fixture tensor '\(name)': \(reason)"
    case .mismatch(let reason): return "fixture does not fit the model: \(reason)"
    }
  }
}
