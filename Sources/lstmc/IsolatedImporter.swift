import CanonicalModel
import Foundation
import KerasImport

/// Runs Keras import in a child process (`lstmc _import`), so that a crash or
/// hang inside libhdf5 on a corrupt file becomes a one-line error instead of
/// taking lstmc down. See ``ImportWorkerCommand``.
enum IsolatedImporter {
  /// Seconds the child may take before it is considered hung: 60, or
  /// `LSTMC_IMPORT_TIMEOUT` when set.
  static var timeout: Double {
    ProcessInfo.processInfo.environment["LSTMC_IMPORT_TIMEOUT"].flatMap(Double.init) ?? 60
  }

  /// This executable, to start again as the worker; `nil` when it cannot be found.
  static var executable: URL? {
    if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: link)
    }
    return Bundle.main.executableURL
  }

  /// Imports the Keras model at `path`; falls back to importing in this process
  /// when the executable cannot be started again, or when `LSTMC_IMPORT_IN_PROCESS=1`.
  static func importModel(_ path: String) throws -> Model {
    guard ProcessInfo.processInfo.environment["LSTMC_IMPORT_IN_PROCESS"] != "1", let executable else {
      return try KerasImporter.importModel(at: URL(fileURLWithPath: path))
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = ["_import", path]
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = FileHandle.nullDevice
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    do {
      try process.run()
    } catch {
      return try KerasImporter.importModel(at: URL(fileURLWithPath: path))
    }
    let output = Collector(stdout.fileHandleForReading)
    let errors = Collector(stderr.fileHandleForReading)
    if finished.wait(timeout: .now() + timeout) == .timedOut {
      process.terminate()
      if finished.wait(timeout: .now() + 2) == .timedOut { kill(process.processIdentifier, SIGKILL) }
      throw CLIError(
        file: path,
        message: "reading the file did not finish within \(Int(timeout)) s (libhdf5 loops on some corrupt files); "
          + "the file is corrupt")
    }
    let data = output.result()
    let message = String(decoding: errors.result(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    switch (process.terminationReason, process.terminationStatus) {
    case (.exit, 0):
      return try ModelArchive.decode(data)
    case (.exit, 2) where !message.isEmpty:
      throw CLIError(file: path, message: message)
    case (.uncaughtSignal, let signal) where message.contains(ImportCrashReporter.hdf5Marker):
      throw CLIError(
        file: path, message: "the file is corrupt: reading it crashed libhdf5 (signal \(signal)); re-save the model")
    case (.uncaughtSignal, let signal) where message.contains(ImportCrashReporter.lstmcMarker):
      throw CLIError(
        file: path,
        message: "reading it crashed lstmc's own Keras import code (signal \(signal)), not libhdf5: "
          + "a bug in lstmc; please report it with this file")
    case (.uncaughtSignal, let signal):
      throw CLIError(
        file: path, message: "the import process was killed by signal \(signal) (out of memory?) before it finished")
    case (_, let status):
      throw CLIError(file: path, message: "import failed (status \(status))\(message.isEmpty ? "" : ": \(message)")")
    }
  }

  /// Reads a pipe to its end on a background thread.
  private final class Collector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
      Thread.detachNewThread { [self] in
        data = handle.readDataToEndOfFile()
        done.signal()
      }
    }

    func result() -> Data {
      done.wait()
      return data
    }
  }
}
