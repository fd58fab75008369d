import Targets
/// Why `lstmc bench` could not measure a model (building a program is a ``CProgramError``).
public enum BenchmarkError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The model has no recurrent (LSTM or GRU) layer, so there is no floor to compare with.
  case noRecurrentLayer
  /// A benchmark program exited with a non-zero status.
  case programFailed(program: String, status: Int32, detail: String)
  /// A benchmark program's output did not have the expected lines.
  case unreadableOutput(program: String, output: String)
  /// The interpreter could not run the model on the benchmark input.
  case interpreterFailed(String)

  public var description: String {
    switch self {
    case .noRecurrentLayer:
      return
        "the model has no LSTM or GRU layer; lstmc bench compares a model with its recurrent floor "
        + "(4*H*(I+H) per step per LSTM direction, 3*H*(I+H) per GRU direction)"
    case .programFailed(let program, let status, let detail):
      return "the \(program) exited with status \(status)" + (detail.isEmpty ? "" : ": \(detail)")
    case .unreadableOutput(let program, let output):
      let head = output.split(separator: "\n").prefix(3).joined(separator: " | ")
      return "cannot read the \(program)'s output" + (head.isEmpty ? " (it printed nothing)" : ": \(head)")
    case .interpreterFailed(let reason):
      return "the interpreter failed on the benchmark input: \(reason)"
    }
  }
}
