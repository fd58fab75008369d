import Foundation
import Testing

@testable import Targets
@testable import Verification

/// Building and running small C programs on the host and on emulated Cortex-M cores.
@Suite struct CProgramRunnerTests {
  static let floatsProgram = """
    #include <math.h>
    #include <stdio.h>

    int main(void) {
      volatile float xs[4] = {-2.5f, 0.0f, 0.5f, 3.0f};
      for (int i = 0; i < 4; i++) printf("%.9g %.9g\\n", (double)expf(xs[i]), (double)tanhf(xs[i]));
      fprintf(stderr, "to stderr\\n");
      return 3;
    }
    """

  static let inputs: [Float] = [-2.5, 0, 0.5, 3]

  /// Runs the float program on `target` and checks its output against Swift's own `exp` and `tanh`.
  func checkFloats(on target: CTarget) throws {
    let folder = try CBuildSupport.scratch("floats-\(target.rawValue)")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write(Self.floatsProgram, to: "floats.c", in: folder)
    let result = try CProgramRunner(target: target).buildAndRun(
      sources: [source], includeDirectories: [], defines: [], extraFlags: [], workDirectory: folder, timeout: 30)
    #expect(result.status == 3)
    #expect(result.signal == nil)
    #expect(result.stderr.contains("to stderr"))
    #expect(!result.stdout.contains("to stderr"))
    let lines = result.stdout.split(separator: "\n")
    try #require(lines.count == 4, "stdout: \(result.stdout)")
    for (line, x) in zip(lines, Self.inputs) {
      let values = line.split(separator: " ").compactMap { Float(String($0)) }
      try #require(values.count == 2, "line '\(line)'")
      // Different C libraries may differ in the last place; %.9g itself round-trips float32.
      #expect(
        Swift.abs(values[0] - Float(exp(Double(x)))) <= 2 * Float(exp(Double(x))).ulp, "expf(\(x)) = \(values[0])")
      #expect(Swift.abs(values[1] - Float(tanh(Double(x)))) <= 2 * Float(1).ulp, "tanhf(\(x)) = \(values[1])")
    }
    #expect(lines[1] == "1 0")
  }

  @Test func hostProgramPrintsFloatsAndReturnsItsStatus() throws {
    try checkFloats(on: .host)
  }

  @Test(.enabled(if: CBuildSupport.canRunCortexM), arguments: CBuildSupport.emulated)
  func cortexMProgramPrintsFloatsAndQemuReturnsItsStatus(target: CTarget) throws {
    try checkFloats(on: target)
  }

  /// `exit(n)` from deep inside the program, not only `return` from `main`, reaches qemu's status.
  @Test(.enabled(if: CBuildSupport.canRunCortexM), arguments: [CTarget.host] + CBuildSupport.emulated)
  func exitStatusTravelsFromExit(target: CTarget) throws {
    let folder = try CBuildSupport.scratch("exit-\(target.rawValue)")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write(
      """
      #include <stdio.h>
      #include <stdlib.h>
      static void finish(int code) { printf("bye %d\\n", code); exit(code); }
      int main(void) { finish(VALUE); return 0; }
      """, to: "exit.c", in: folder)
    for value in [0, 1, 42] {
      let result = try CProgramRunner(target: target).buildAndRun(
        sources: [source], defines: ["VALUE=\(value)"], workDirectory: folder, timeout: 30)
      #expect(result.status == Int32(value))
      #expect(result.stdout == "bye \(value)\n")
    }
  }

  @Test func includeDirectoriesDefinesAndExtraFlagsReachTheCompiler() throws {
    let folder = try CBuildSupport.scratch("flags")
    defer { CBuildSupport.remove(folder) }
    let include = folder.appendingPathComponent("include")
    try FileManager.default.createDirectory(at: include, withIntermediateDirectories: true)
    _ = try CBuildSupport.write("#define FROM_HEADER 40\n", to: "answer.h", in: include)
    let source = try CBuildSupport.write(
      """
      #include <stdio.h>
      #include "answer.h"
      int main(void) { printf("%d\\n", FROM_HEADER + PLUS); return 0; }
      """, to: "main.c", in: folder)
    let result = try CProgramRunner(target: .host).buildAndRun(
      sources: [source], includeDirectories: [include], defines: ["PLUS=2"], extraFlags: ["-O0", "-Wall"],
      workDirectory: folder, timeout: 30)
    #expect(result.status == 0)
    #expect(result.stdout == "42\n")
  }

  @Test(arguments: [CTarget.host, .cortexM4])
  func aCompileErrorCarriesTheCompilersFirstErrorLines(target: CTarget) throws {
    if target.isCortexM, !CBuildSupport.hasArmCompiler { return }
    let folder = try CBuildSupport.scratch("broken-\(target.rawValue)")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write(
      "int main(void) {\n  return undeclared_thing;\n}\n", to: "broken.c", in: folder)
    do {
      _ = try CProgramRunner(target: target).buildAndRun(sources: [source], workDirectory: folder, timeout: 30)
      Issue.record("a broken program built")
    } catch let error as CProgramError {
      guard case .compileFailed(let compiler, let diagnostics) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(compiler == CProgramRunner(target: target).cc)
      #expect(diagnostics.contains("broken.c:2"))
      #expect(diagnostics.contains("undeclared_thing"))
      #expect(error.description.hasPrefix("\(compiler) failed: "))
    }
  }

  @Test func aLinkErrorIsACompileError() throws {
    let folder = try CBuildSupport.scratch("unlinked")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write(
      "void missing(void);\nint main(void) { missing(); return 0; }\n", to: "unlinked.c", in: folder)
    #expect {
      try CProgramRunner(target: .host).build(sources: [source], workDirectory: folder)
    } throws: { error in
      guard case .compileFailed(_, let diagnostics) = error as? CProgramError else { return false }
      return diagnostics.contains("undefined reference") && diagnostics.contains("missing")
    }
  }

  @Test func aMissingHostCompilerIsNamed() throws {
    let folder = try CBuildSupport.scratch("nocc")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write("int main(void) { return 0; }\n", to: "main.c", in: folder)
    let runner = CProgramRunner(target: .host, cc: "/nonexistent/bin/cc")
    #expect(
      throws: CProgramError.toolNotFound(
        tool: "/nonexistent/bin/cc", remedy: "install a C compiler (gcc or clang), or set CC to one")
    ) {
      try runner.buildAndRun(sources: [source], workDirectory: folder, timeout: 30)
    }
  }

  @Test func aMissingCrossCompilerSaysWhatToInstall() throws {
    let folder = try CBuildSupport.scratch("nogcc")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write("int main(void) { return 0; }\n", to: "main.c", in: folder)
    let runner = CProgramRunner(target: .cortexM4, cc: "lstmc-no-such-arm-none-eabi-gcc")
    do {
      _ = try runner.buildAndRun(sources: [source], workDirectory: folder, timeout: 30)
      Issue.record("built without a compiler")
    } catch let error as CProgramError {
      #expect(
        error.description
          == "lstmc-no-such-arm-none-eabi-gcc not found; install gcc-arm-none-eabi and libnewlib-arm-none-eabi")
    }
  }

  @Test func toolMessagesNameThePackages() {
    #expect(
      CProgramError.toolNotFound(tool: ToolLocator.Tool.armGCC.name, remedy: ToolLocator.Tool.armGCC.remedy)
        .description == "arm-none-eabi-gcc not found; install gcc-arm-none-eabi and libnewlib-arm-none-eabi")
    #expect(
      CProgramError.toolNotFound(tool: ToolLocator.Tool.qemu.name, remedy: ToolLocator.Tool.qemu.remedy).description
        == "qemu-system-arm not found; install qemu-system-arm")
  }

  @Test func toolLookupFollowsPath() throws {
    #expect(ToolLocator.find("qemu-system-arm", environment: ["PATH": "/nonexistent"]) == nil)
    #expect(ToolLocator.find("sh", environment: ["PATH": "/nonexistent:/bin"])?.path == "/bin/sh")
    #expect(ToolLocator.find("/bin/sh")?.path == "/bin/sh")
    #expect(ToolLocator.find("/bin") == nil)
  }

  @Test func aHangingHostProgramIsKilledAfterTheTimeout() throws {
    let folder = try CBuildSupport.scratch("spin-host")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write(
      "int main(void) { volatile int x = 0; for (;;) x++; }\n", to: "spin.c", in: folder)
    let start = Date()
    #expect(throws: CProgramError.timedOut(command: "program", seconds: 1)) {
      try CProgramRunner(target: .host).buildAndRun(sources: [source], workDirectory: folder, timeout: 1)
    }
    #expect(Date().timeIntervalSince(start) < 20)
  }

  @Test(.enabled(if: CBuildSupport.canRunCortexM))
  func aHangingCortexMProgramIsKilledAfterTheTimeout() throws {
    let folder = try CBuildSupport.scratch("spin-m4")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write(
      "int main(void) { volatile int x = 0; for (;;) x++; }\n", to: "spin.c", in: folder)
    let start = Date()
    #expect(throws: CProgramError.timedOut(command: "qemu-system-arm", seconds: 1.5)) {
      try CProgramRunner(target: .cortexM4).buildAndRun(sources: [source], workDirectory: folder, timeout: 1.5)
    }
    #expect(Date().timeIntervalSince(start) < 20)
  }

  @Test func aCrashingHostProgramReportsItsSignal() throws {
    let folder = try CBuildSupport.scratch("abort-host")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write(
      "#include <stdlib.h>\nint main(void) { abort(); }\n", to: "abort.c", in: folder)
    let result = try CProgramRunner(target: .host).buildAndRun(sources: [source], workDirectory: folder, timeout: 30)
    #expect(result.signal == SIGABRT)
    #expect(result.status == 128 + SIGABRT)
  }

  /// A fault stops qemu at once with status 134 and a message, instead of spinning until the timeout.
  @Test(.enabled(if: CBuildSupport.canRunCortexM), arguments: CBuildSupport.emulated)
  func aCortexMFaultEndsTheRunWithAMessage(target: CTarget) throws {
    let folder = try CBuildSupport.scratch("fault-\(target.rawValue)")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write(
      """
      #include <stdio.h>
      int main(void) {
        printf("before\\n");
        void (*nowhere)(void) = (void (*)(void))0x30000001u;
        nowhere();
        printf("after\\n");
        return 0;
      }
      """, to: "fault.c", in: folder)
    let start = Date()
    let result = try CProgramRunner(target: target).buildAndRun(
      sources: [source], workDirectory: folder, timeout: 30)
    #expect(result.status == 134)
    #expect(result.stdout == "before\n")
    #expect(result.stderr.contains("lstmc harness: fault"))
    #expect(Date().timeIntervalSince(start) < 20)
  }

  /// The Cortex-M0 is compiled and linked only.
  @Test(.enabled(if: CBuildSupport.hasArmCompiler))
  func cortexM0BuildsButDoesNotRun() throws {
    let folder = try CBuildSupport.scratch("m0")
    defer { CBuildSupport.remove(folder) }
    let source = try CBuildSupport.write(Self.floatsProgram, to: "floats.c", in: folder)
    let runner = CProgramRunner(target: .cortexM0)
    let elf = try runner.build(sources: [source], workDirectory: folder)
    #expect(elf.lastPathComponent == "program.elf")
    let bytes = try Data(contentsOf: elf)
    #expect(bytes.prefix(4) == Data([0x7F, 0x45, 0x4C, 0x46]))
    #expect(bytes[18] == 40)  // e_machine EM_ARM
    #expect(throws: CProgramError.notRunnable(.cortexM0)) {
      try runner.buildAndRun(sources: [source], workDirectory: folder, timeout: 30)
    }
  }

  @Test func compilerDiagnosticsStartAtTheFirstError() {
    let output = """
      a.c: In function 'main':
      a.c:2:3: warning: unused variable 'x'
      a.c:3:10: error: 'y' undeclared
      3 |   return y;
        |          ^
      a.c:4:1: error: expected ';'
      """
    #expect(
      CProgramRunner.firstErrors(output, limit: 3) == "a.c:3:10: error: 'y' undeclared\n3 |   return y;\n  |          ^"
    )
    #expect(CProgramRunner.firstErrors("something odd\n") == "something odd")
  }

  @Test func hostCompilerComesFromCC() {
    #expect(CProgramRunner(target: .host, cc: "clang").cc == "clang")
    #expect(CProgramRunner(target: .cortexM3).cc == "arm-none-eabi-gcc")
    let expected = ProcessInfo.processInfo.environment["CC"].flatMap { $0.isEmpty ? nil : $0 } ?? "cc"
    #expect(CProgramRunner(target: .host).cc == expected)
  }

  @Test func cortexMCommandLinesUseTheHarnessAndSemihosting() throws {
    let runner = CProgramRunner(target: .cortexM4)
    let arguments = runner.compileArguments(
      sources: [URL(fileURLWithPath: "/x/m.c")], output: URL(fileURLWithPath: "/x/program.elf"))
    for flag in [
      "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", "--specs=rdimon.specs", "-nostartfiles",
      "-Wl,--gc-sections", "-lm",
    ] {
      #expect(arguments.contains(flag), "\(flag)")
    }
    #expect(!arguments.contains { $0.contains("nano") })
    let harness = CProgramRunner.harnessDirectory
    #expect(FileManager.default.fileExists(atPath: harness.appendingPathComponent("startup_cortexm.c").path))
    #expect(FileManager.default.fileExists(atPath: harness.appendingPathComponent("cortexm.ld").path))
    #expect(
      CProgramRunner(target: .cortexM3).compileArguments(sources: [], output: URL(fileURLWithPath: "/p")).contains(
        "-mfloat-abi=soft"))
  }
}
