import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs one external command to completion or until a timeout, capturing its
/// output through files (a chatty program cannot fill a pipe and stall).
package struct ProcessRunner {
  /// How a command ended.
  package struct Outcome {
    package var status: Int32
    package var signal: Int32?
    package var stdout: String
    package var stderr: String
  }

  /// Runs `executable` with `arguments` in `directory`, standard input empty.
  /// Output goes to `<capture>.stdout` / `<capture>.stderr` in `directory`.
  ///
  /// - Throws: ``CProgramError/timedOut(command:seconds:)`` when it runs longer
  ///   than `timeout` seconds (it is sent SIGTERM, then SIGKILL), and
  ///   ``CProgramError/launchFailed(command:reason:)`` when it cannot start.
  package static func run(
    _ executable: URL, _ arguments: [String], in directory: URL, capture: String, timeout: Double
  ) throws -> Outcome {
    let fileManager = FileManager.default
    let stdoutURL = directory.appendingPathComponent("\(capture).stdout")
    let stderrURL = directory.appendingPathComponent("\(capture).stderr")
    guard fileManager.createFile(atPath: stdoutURL.path, contents: nil),
      fileManager.createFile(atPath: stderrURL.path, contents: nil)
    else {
      throw CProgramError.launchFailed(
        command: executable.lastPathComponent, reason: "cannot write to \(directory.path)")
    }
    let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
    let stderrHandle = try FileHandle(forWritingTo: stderrURL)
    defer {
      try? stdoutHandle.close()
      try? stderrHandle.close()
    }

    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = stdoutHandle
    process.standardError = stderrHandle
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    do {
      try process.run()
    } catch {
      throw CProgramError.launchFailed(command: executable.path, reason: "\(error.localizedDescription)")
    }
    if finished.wait(timeout: .now() + timeout) == .timedOut {
      process.terminate()
      if finished.wait(timeout: .now() + 2) == .timedOut {
        kill(process.processIdentifier, SIGKILL)
        finished.wait()
      }
      throw CProgramError.timedOut(command: executable.lastPathComponent, seconds: timeout)
    }
    let stdout = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? Self.lossy(stdoutURL)
    let stderr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? Self.lossy(stderrURL)
    switch process.terminationReason {
    case .uncaughtSignal:
      let signal = process.terminationStatus
      return Outcome(status: 128 + signal, signal: signal, stdout: stdout, stderr: stderr)
    case .exit:
      return Outcome(status: process.terminationStatus, signal: nil, stdout: stdout, stderr: stderr)
    @unknown default:
      return Outcome(status: process.terminationStatus, signal: nil, stdout: stdout, stderr: stderr)
    }
  }

  private static func lossy(_ url: URL) -> String {
    String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self)
  }
}
