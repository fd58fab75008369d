import Foundation
import Templates

/// Builds C sources into a program for a ``CTarget`` and runs it: natively on
/// the host, under `qemu-system-arm` for a Cortex-M.
///
/// Host programs are built with `cc -std=c99 -O2 … -lm`. Cortex-M programs are
/// built with `arm-none-eabi-gcc` against newlib's semihosting library
/// (`--specs=rdimon.specs`, full newlib so `printf` formats floats), together
/// with lstmc's harness (`templates/c/harness/`: `startup_cortexm.c`, a vector
/// table and reset handler, and `cortexm.ld`, the MPS2 memory map). Under qemu
/// the program's standard output and error are the host's, and its exit status
/// becomes qemu's (semihosting `SYS_EXIT_EXTENDED`).
public struct CProgramRunner: Sendable {
  /// The machine programs are built for.
  public var target: CTarget
  /// The compiler command: `$CC` or `cc` for the host, `arm-none-eabi-gcc` for a
  /// Cortex-M unless given. Words after the first are passed as leading arguments.
  public var cc: String
  /// Seconds a compile may take before it is killed.
  public var compileTimeout: Double = 300

  /// Creates a runner for `target`; `cc` overrides the compiler.
  public init(target: CTarget, cc: String? = nil) {
    self.target = target
    if let cc, !cc.trimmingCharacters(in: .whitespaces).isEmpty {
      self.cc = cc
    } else if target == .host {
      let environment = ProcessInfo.processInfo.environment["CC"] ?? ""
      self.cc = environment.trimmingCharacters(in: .whitespaces).isEmpty ? "cc" : environment
    } else {
      self.cc = ToolLocator.Tool.armGCC.name
    }
  }

  /// The folder with the Cortex-M startup code and linker script, as bundled.
  public static var harnessDirectory: URL {
    Templates.root.appendingPathComponent("c").appendingPathComponent("harness")
  }

  private var compilerWords: [String] {
    cc.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
  }

  private var compilerTool: ToolLocator.Tool {
    let name = compilerWords.first ?? cc
    return target == .host ? .hostCompiler(name) : ToolLocator.Tool(name: name, remedy: ToolLocator.Tool.armGCC.remedy)
  }

  /// Checks that every tool the target needs is installed: the compiler (and for
  /// a Cortex-M its newlib), and qemu for a runnable Cortex-M.
  ///
  /// - Parameters:
  ///   - running: whether running is intended (otherwise qemu is not needed).
  ///   - environment: where `PATH` comes from.
  /// - Throws: ``CProgramError/toolNotFound(tool:remedy:)`` naming the first missing tool.
  public func checkTools(running: Bool = true, environment: [String: String] = ProcessInfo.processInfo.environment)
    throws
  {
    let compiler = try ToolLocator.require(compilerTool, environment: environment)
    if target.isCortexM {
      try NewlibCheck.shared.require(compiler: compiler, machineFlags: target.machineFlags)
      if running, target.isRunnable { _ = try ToolLocator.require(.qemu, environment: environment) }
    }
  }

  /// The compiler's arguments (after the compiler itself) to build `sources` into `output`.
  public func compileArguments(
    sources: [URL], includeDirectories: [URL] = [], defines: [String] = [], extraFlags: [String] = [],
    output: URL
  ) -> [String] {
    var arguments = Array(compilerWords.dropFirst())
    arguments += ["-std=c99", "-O2"] + target.machineFlags
    if target.isCortexM { arguments += ["-ffunction-sections", "-fdata-sections"] }
    arguments += includeDirectories.map { "-I\($0.path)" }
    arguments += defines.map { "-D\($0)" }
    arguments += extraFlags
    arguments += sources.map(\.path)
    if target.isCortexM {
      let harness = Self.harnessDirectory
      arguments += [
        harness.appendingPathComponent("startup_cortexm.c").path,
        "--specs=rdimon.specs", "-nostartfiles",
        "-T", harness.appendingPathComponent("cortexm.ld").path,
        "-Wl,--gc-sections", "-Wl,--no-enum-size-warning",
      ]
    }
    arguments += ["-o", output.path, "-lm"]
    return arguments
  }

  /// The command that runs `executable` (the executable itself on the host, qemu for a Cortex-M).
  public func runCommand(executable: URL) throws -> (executable: URL, arguments: [String]) {
    switch target {
    case .host:
      return (executable, [])
    case .cortexM4, .cortexM3:
      let qemu = try ToolLocator.require(.qemu)
      return (
        qemu,
        [
          "-M", target.qemuMachine!, "-nographic", "-semihosting-config", "enable=on,target=native",
          "-kernel", executable.path,
        ]
      )
    case .cortexM0:
      throw CProgramError.notRunnable(target)
    }
  }

  /// Compiles and links `sources` into an executable in `workDirectory`.
  ///
  /// - Parameters:
  ///   - defines: macro definitions, `NAME` or `NAME=VALUE` (passed as `-D`).
  ///   - extraFlags: more compiler flags, after lstmc's (so `-O0` wins over `-O2`).
  ///   - name: the executable's file name (`.elf` is appended for a Cortex-M).
  /// - Returns: the executable (an ELF image for a Cortex-M).
  /// - Throws: ``CProgramError``: a missing tool, a compile error with the
  ///   compiler's first error lines, or a timeout.
  public func build(
    sources: [URL], includeDirectories: [URL] = [], defines: [String] = [], extraFlags: [String] = [],
    workDirectory: URL, name: String = "program"
  ) throws -> URL {
    try checkTools(running: false)
    let compiler = try ToolLocator.require(compilerTool)
    try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
    let output = workDirectory.appendingPathComponent(target.isCortexM ? "\(name).elf" : name)
    try? FileManager.default.removeItem(at: output)
    let arguments = compileArguments(
      sources: sources, includeDirectories: includeDirectories, defines: defines, extraFlags: extraFlags,
      output: output)
    let outcome = try ProcessRunner.run(
      compiler, arguments, in: workDirectory, capture: "\(name).compile", timeout: compileTimeout)
    guard outcome.status == 0, FileManager.default.fileExists(atPath: output.path) else {
      throw CProgramError.compileFailed(
        compiler: compilerTool.name, diagnostics: Self.firstErrors(outcome.stderr + outcome.stdout))
    }
    return output
  }

  /// Runs an executable made by ``build(sources:includeDirectories:defines:extraFlags:workDirectory:name:)``.
  ///
  /// - Throws: ``CProgramError/timedOut(command:seconds:)`` when it runs longer than `timeout` seconds.
  public func run(executable: URL, workDirectory: URL, timeout: Double) throws -> CProgramResult {
    let command = try runCommand(executable: executable)
    let outcome = try ProcessRunner.run(
      command.executable, command.arguments, in: workDirectory,
      capture: executable.deletingPathExtension().lastPathComponent + ".run", timeout: timeout)
    return CProgramResult(
      status: outcome.status, signal: outcome.signal, stdout: outcome.stdout, stderr: outcome.stderr)
  }

  /// Builds `sources` (see ``build(sources:includeDirectories:defines:extraFlags:workDirectory:name:)``)
  /// and runs the program, giving it `timeout` seconds.
  public func buildAndRun(
    sources: [URL], includeDirectories: [URL] = [], defines: [String] = [], extraFlags: [String] = [],
    workDirectory: URL, timeout: Double
  ) throws -> CProgramResult {
    if target.isRunnable { try checkTools(running: true) } else { throw CProgramError.notRunnable(target) }
    let executable = try build(
      sources: sources, includeDirectories: includeDirectories, defines: defines, extraFlags: extraFlags,
      workDirectory: workDirectory)
    return try run(executable: executable, workDirectory: workDirectory, timeout: timeout)
  }

  /// The compiler's first error and the lines after it (at most `limit` lines),
  /// or its first lines when none says "error".
  static func firstErrors(_ output: String, limit: Int = 6) -> String {
    let lines = output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    let markers = ["error", "undefined reference", "cannot find", "No such file"]
    let start = lines.firstIndex { line in markers.contains { line.range(of: $0, options: .caseInsensitive) != nil } }
    let chosen = lines[(start ?? 0)...].prefix(limit)
    return chosen.isEmpty ? "(no diagnostics)" : chosen.joined(separator: "\n")
  }
}

/// Remembers, per compiler and core, whether newlib's semihosting library is
/// installed (a bare `gcc-arm-none-eabi` has no C library).
package final class NewlibCheck: @unchecked Sendable {
  static let shared = NewlibCheck()
  private let lock = NSLock()
  private var known: [String: Bool] = [:]

  func require(compiler: URL, machineFlags: [String]) throws {
    let key = ([compiler.path] + machineFlags).joined(separator: " ")
    lock.lock()
    let cached = known[key]
    lock.unlock()
    let present = try cached ?? probe(compiler: compiler, machineFlags: machineFlags)
    lock.lock()
    known[key] = present
    lock.unlock()
    guard present else {
      throw CProgramError.toolNotFound(
        tool: "newlib for \(compiler.lastPathComponent) (librdimon.a)", remedy: "install libnewlib-arm-none-eabi")
    }
  }

  /// `gcc -print-file-name=librdimon.a` prints a path when the library exists, the bare name otherwise.
  private func probe(compiler: URL, machineFlags: [String]) throws -> Bool {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-probe-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let outcome = try ProcessRunner.run(
      compiler, machineFlags + ["-print-file-name=librdimon.a"], in: directory, capture: "probe", timeout: 30)
    let answer = outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    return outcome.status == 0 && answer.contains("/") && FileManager.default.fileExists(atPath: answer)
  }
}
