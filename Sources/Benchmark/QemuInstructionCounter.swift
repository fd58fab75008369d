import Foundation
import Targets

/// Counts the instructions an emulated Cortex-M executes, outside the guest: `qemu-system-arm`
/// translates one instruction per block (`-accel tcg,one-insn-per-tb=on`, or `-singlestep` on
/// qemu before 8.1) and logs every block it executes (`-d exec,nochain`), and the log's
/// `Trace` lines are counted as they stream by. Deterministic, so two builds can be compared
/// on a noisy machine; qemu is not cycle-accurate, so this counts instructions, not cycles.
public struct QemuInstructionCounter: Sendable {
  /// The emulated core.
  public var target: CTarget
  /// `qemu-system-arm`.
  public var qemu: URL
  /// Seconds one run may take.
  public var timeout: Double = 900

  /// A counter for `target` (a runnable Cortex-M).
  ///
  /// - Throws: ``CProgramError/toolNotFound(tool:remedy:)`` without qemu,
  ///   ``CProgramError/notRunnable(_:)`` for a target no qemu board runs.
  public init(target: CTarget, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
    guard target.isCortexM, target.isRunnable else { throw CProgramError.notRunnable(target) }
    self.target = target
    self.qemu = try ToolLocator.require(.qemu, environment: environment)
    self.oneInstructionPerBlock = Self.oneInstructionPerBlockFlags(qemu)
  }

  /// The flags that make this qemu translate one instruction per block.
  public var oneInstructionPerBlock: [String]

  /// Asks `qemu` whether it knows `-accel tcg,one-insn-per-tb=on` (qemu 8.1 and later), which
  /// replaced `-singlestep`.
  static func oneInstructionPerBlockFlags(_ qemu: URL) -> [String] {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-qemu-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let help = try? ProcessRunner.run(qemu, ["-accel", "tcg,help"], in: folder, capture: "accel", timeout: 30)
    let text = (help?.stdout ?? "") + (help?.stderr ?? "")
    return text.contains("one-insn-per-tb") ? ["-accel", "tcg,one-insn-per-tb=on"] : ["-singlestep"]
  }

  /// Runs the ELF image `executable` to its end and returns how many instructions the core
  /// executed, reset to exit.
  ///
  /// - Throws: ``BenchmarkError/programFailed(program:status:detail:)`` when the program does not
  ///   exit 0, ``CProgramError/timedOut(command:seconds:)`` past ``timeout``.
  public func count(executable: URL, program: String) throws -> Int {
    // The board, semihosting and kernel as every Cortex-M run has them, plus the trace.
    let command = try CProgramRunner(target: target).runCommand(executable: executable)
    let process = Process()
    process.executableURL = command.executable
    process.arguments = command.arguments + oneInstructionPerBlock + ["-d", "exec,nochain", "-D", "/dev/stdout"]
    let log = Pipe()
    // qemu's own messages (and the harness's fault report) go to a file beside the executable.
    let errorsURL = executable.deletingPathExtension().appendingPathExtension("qemu-stderr")
    guard FileManager.default.createFile(atPath: errorsURL.path, contents: nil) else {
      throw CProgramError.launchFailed(command: qemu.path, reason: "cannot write \(errorsURL.path)")
    }
    let errors = try FileHandle(forWritingTo: errorsURL)
    defer { try? errors.close() }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = log
    process.standardError = errors
    let start = Date()
    do {
      try process.run()
    } catch {
      throw CProgramError.launchFailed(command: qemu.path, reason: error.localizedDescription)
    }
    // qemu may catch SIGTERM and exit with status 0 ("terminating on signal 15"), so the exit status
    // cannot tell a killed run from a finished one: the killer records that it fired, and a count
    // truncated by it is an error, never a figure (under load a 9-million-instruction soft-float
    // step once read as 1.2 million that way).
    let fired = TimeoutFlag()
    // A guest in a tight loop can keep qemu from handling SIGTERM at all: SIGKILL follows after 2 s.
    let killer = DispatchWorkItem { [process] in
      guard process.isRunning else { return }
      fired.set()
      process.terminate()
      DispatchQueue.global().asyncAfter(deadline: .now() + 2) { [process] in
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      }
    }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
    var counter = TraceLineCounter()
    while let chunk = try? log.fileHandleForReading.read(upToCount: 1 << 20), !chunk.isEmpty {
      counter.consume(chunk)
    }
    process.waitUntilExit()
    killer.cancel()
    let timedOut =
      fired.isSet
      || (process.terminationReason == .uncaughtSignal && Date().timeIntervalSince(start) >= timeout * 0.99)
    if timedOut {
      throw CProgramError.timedOut(command: "\(qemu.lastPathComponent) (\(program))", seconds: timeout)
    }
    guard process.terminationStatus == 0 else {
      let text = (try? String(contentsOf: errorsURL, encoding: .utf8)) ?? ""
      let detail = text.split(separator: "\n").suffix(2).joined(separator: " ")
      throw BenchmarkError.programFailed(program: program, status: process.terminationStatus, detail: detail)
    }
    return counter.lines
  }
}

/// Counts the lines that start with `Trace` in a stream of chunks (qemu's `-d exec` log: one
/// line per executed translation block).
package struct TraceLineCounter {
  private static let prefix = Array("Trace".utf8)
  /// Lines that started with `Trace` so far.
  private(set) var lines = 0
  /// How many bytes of the prefix the current line has matched; -1 once it cannot match.
  private var matched = 0

  mutating func consume(_ data: Data) {
    data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
      for byte in bytes {
        if byte == 0x0A {
          matched = 0
        } else if matched >= 0 && matched < Self.prefix.count {
          if byte == Self.prefix[matched] {
            matched += 1
            if matched == Self.prefix.count { lines += 1 }
          } else {
            matched = -1
          }
        }
      }
    }
  }
}
