import Foundation
import Targets

/// Counts the instructions a program executes with `valgrind --tool=callgrind` (deterministic,
/// so builds can be compared on a noisy machine).
package struct CallgrindCounter {
  /// The `valgrind` executable.
  var valgrind: URL
  /// Seconds one run may take.
  var timeout: Double = 600

  /// `valgrind` from `PATH`, or `nil` when it is not installed.
  static func located(environment: [String: String] = ProcessInfo.processInfo.environment) -> CallgrindCounter? {
    ToolLocator.find("valgrind", environment: environment).map { CallgrindCounter(valgrind: $0) }
  }

  /// Runs `executable arguments` under callgrind in `directory` and returns its instruction count
  /// (callgrind's `summary:`/`totals:` line); `nil` when the program did not exit 0 (valgrind
  /// cannot decode every instruction set, AVX-512 for one) or no count was written. With
  /// `functions`, only instructions between entry to and exit from one of them are counted
  /// (`--collect-atstart=no --toggle-collect=F`).
  func instructions(
    executable: URL, arguments: [String], in directory: URL, label: String, onlyIn functions: [String] = []
  ) throws -> Int? {
    let outFile = directory.appendingPathComponent("\(label).callgrind")
    try? FileManager.default.removeItem(at: outFile)
    let collect = functions.isEmpty ? [] : ["--collect-atstart=no"] + functions.map { "--toggle-collect=\($0)" }
    let outcome = try ProcessRunner.run(
      valgrind,
      ["--tool=callgrind", "--callgrind-out-file=\(outFile.path)"] + collect + [executable.path] + arguments,
      in: directory, capture: label, timeout: timeout)
    guard outcome.status == 0, let text = try? String(contentsOf: outFile, encoding: .utf8) else { return nil }
    return Self.parseTotal(text)
  }

  /// The first number of callgrind's `summary:` (or `totals:`) line.
  static func parseTotal(_ text: String) -> Int? {
    for line in text.split(separator: "\n") where line.hasPrefix("summary:") || line.hasPrefix("totals:") {
      if let word = line.split(separator: " ").dropFirst().first, let value = Int(word) { return value }
    }
    return nil
  }
}
