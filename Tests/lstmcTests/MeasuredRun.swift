import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs `lstmc` like ``CLIRunner`` but measures it: wall time and peak resident memory, killing it after
/// a deadline.
///
/// The peak is the largest `VmHWM` (the kernel's high-water mark of the process's own memory since its
/// `exec`) read from `/proc/PID/status` every 2 ms while it runs. `wait4`'s `ru_maxrss` would not do: a
/// child spawned from the test process inherits the test process's high-water mark at `exec`.
struct MeasuredRun {
  var status: Int32
  var stdout: String
  var stderr: String
  var seconds: Double
  var peakMegabytes: Double
  var timedOut: Bool

  /// Runs `lstmc arguments` in `folder`, for at most `deadline` seconds.
  static func run(_ arguments: [String], in folder: URL, deadline: Double = 30) throws -> MeasuredRun {
    let out = folder.appendingPathComponent(".stdout-\(UUID().uuidString)")
    let err = folder.appendingPathComponent(".stderr-\(UUID().uuidString)")
    defer {
      try? FileManager.default.removeItem(at: out)
      try? FileManager.default.removeItem(at: err)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, err.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    let executable = CLIRunner.executable.path
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
    defer { envp.forEach { free($0) } }
    // The child, not this process, changes directory: tests run concurrently in one process.
    guard Self.addChdir(&actions, folder.path) == 0 else { throw POSIXError(.EINVAL) }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
    let start = Date()
    var status: Int32 = 0
    var usage = rusage()
    var timedOut = false
    var peakKilobytes = 0
    while wait4(pid, &status, WNOHANG, &usage) == 0 {
      peakKilobytes = max(peakKilobytes, highWaterMark(pid))
      if Date().timeIntervalSince(start) > deadline {
        kill(pid, SIGKILL)
        timedOut = true
        _ = wait4(pid, &status, 0, &usage)
        break
      }
      usleep(2_000)
    }
    let seconds = Date().timeIntervalSince(start)
    let exited = (status & 0x7F) == 0
    return MeasuredRun(
      status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F),
      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "", seconds: seconds,
      peakMegabytes: Double(peakKilobytes) / 1024, timedOut: timedOut)
  }

  /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which the Glibc module does not import.
  private static let addChdir: AddChdir = {
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else {
      fatalError("this C library has no posix_spawn_file_actions_addchdir_np")
    }
    return unsafeBitCast(symbol, to: AddChdir.self)
  }()

  private typealias AddChdir =
    @convention(c) (
      UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
    ) -> Int32

  /// `VmHWM` of a running process in kB (0 once it has exited).
  private static func highWaterMark(_ pid: pid_t) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
  }
}
