/// What a C program did when it ran.
public struct CProgramResult: Equatable, Sendable {
  /// The exit status: the value `main` returned or passed to `exit` (under qemu
  /// too), or 128 + the signal number when the program was killed by a signal.
  public var status: Int32
  /// The signal that killed the program (host only), if one did.
  public var signal: Int32?
  /// Everything the program wrote to standard output.
  public var stdout: String
  /// Everything the program (and, for Cortex-M, qemu) wrote to standard error.
  public var stderr: String

  /// Creates a result.
  public init(status: Int32, signal: Int32? = nil, stdout: String, stderr: String) {
    self.status = status
    self.signal = signal
    self.stdout = stdout
    self.stderr = stderr
  }

  /// The last `lines` lines of standard error, for error messages.
  public func stderrTail(lines: Int = 5) -> String {
    let all = stderr.split(separator: "\n", omittingEmptySubsequences: true)
    return all.suffix(lines).joined(separator: "\n")
  }
}
