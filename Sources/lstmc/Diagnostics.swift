import ArgumentParser
import Foundation

/// Prints errors the way the CLI contract demands and turns them into exit codes.
enum Diagnostics {
  /// Runs `body`; a thrown ``CLIError`` (or any other error, attributed to
  /// `file`) is printed as one line on stderr and becomes its exit code.
  static func reporting<T>(file: String, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as ExitCode {
      throw error
    } catch {
      let cliError = CLIError(file: file, error: error)
      printError(cliError.description)
      throw ExitCode(cliError.exitCode)
    }
  }

  /// Writes one line to stderr.
  static func printError(_ line: String) {
    FileHandle.standardError.write(Data((line.replacingOccurrences(of: "\n", with: " ") + "\n").utf8))
  }
}
