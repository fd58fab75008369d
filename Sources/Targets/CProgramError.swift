/// Why a C program could not be built or run (as opposed to a program that ran
/// and reported a failure through its exit status).
public enum CProgramError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A tool is not installed (or not on `PATH`); `remedy` says how to get it.
  case toolNotFound(tool: String, remedy: String)
  /// The compiler or linker rejected the program; `diagnostics` holds its first error lines.
  case compileFailed(compiler: String, diagnostics: String)
  /// A tool or the program did not finish within `seconds` and was killed.
  case timedOut(command: String, seconds: Double)
  /// A tool could not be started at all.
  case launchFailed(command: String, reason: String)
  /// The target can be compiled for but not run (the Cortex-M0).
  case notRunnable(CTarget)

  public var description: String {
    switch self {
    case .toolNotFound(let tool, let remedy):
      return "\(tool) not found; \(remedy)"
    case .compileFailed(let compiler, let diagnostics):
      return "\(compiler) failed: \(diagnostics)"
    case .timedOut(let command, let seconds):
      return "\(command) did not finish within \(Self.format(seconds)) s and was killed"
    case .launchFailed(let command, let reason):
      return "cannot start \(command): \(reason)"
    case .notRunnable(let target):
      return
        "programs for \(target.rawValue) can be built but not run (no qemu board lstmc uses runs a \(target.rawValue))"
    }
  }

  private static func format(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
  }
}
