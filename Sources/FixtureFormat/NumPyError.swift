/// Why a `.npy` file cannot be read.
public enum NumPyError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file cannot be read.
  case unreadable(String)
  /// The bytes are not a `.npy` array lstmc reads.
  case invalid(String)

  public var description: String {
    switch self {
    case .unreadable(let reason): return "cannot read the .npy file: \(reason)"
    case .invalid(let reason): return "not a valid .npy array: \(reason)"
    }
  }
}
