/// An error the CLI reports as one line, `lstmc: error: <file>: <message>`, with an exit code.
struct CLIError: Error, CustomStringConvertible {
  /// The file the problem is in (as the user named it).
  var file: String
  /// What is wrong.
  var message: String
  /// The process exit code (2 for bad input, per the CLI contract).
  var exitCode: Int32 = 2

  var description: String { "lstmc: error: \(file): \(message)" }

  /// Wraps any error from a stage, keeping its message.
  init(file: String, error: Error) {
    self.file = file
    if let error = error as? CLIError {
      self = error
    } else {
      // Every lstmc error type is CustomStringConvertible with a one-line message.
      self.message = String(describing: error)
    }
  }

  init(file: String, message: String, exitCode: Int32 = 2) {
    self.file = file
    self.message = message
    self.exitCode = exitCode
  }
}
