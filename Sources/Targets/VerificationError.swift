/// Why `verify` could not run a target at all (as opposed to a numerical failure).
public enum VerificationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The target exists in the command-line contract but this build cannot run it yet.
  case targetUnavailable(VerificationTarget)
  /// The target ran but failed (crash, wrong output count or shape).
  case targetFailed(target: VerificationTarget, reason: String)
  /// A tool the target needs is not installed; `remedy` says how to get it.
  case toolMissing(target: VerificationTarget, tool: String, remedy: String)

  public var description: String {
    switch self {
    case .targetUnavailable(let target):
      return "target \(target.rawValue) is not available in this version of lstmc; available: "
        + VerificationTarget.available.map(\.rawValue).joined(separator: ", ")
    case .targetFailed(let target, let reason):
      return "target \(target.rawValue) failed: \(reason)"
    case .toolMissing(let target, let tool, let remedy):
      return "target \(target.rawValue) needs \(tool), which was not found; \(remedy)"
    }
  }
}
