import CanonicalModel
import CodeGen
import FixtureFormat
import Foundation

/// Builds generated Swift (`NAME.swift` and the self-checking `main.swift`) for the `swift` or
/// `swift-cortex-m4` target, runs it and reads back every output value, exactly as
/// ``GeneratedCRun`` does for C (the test program prints the same `values` and `result` lines).
///
/// - `swift`: `swiftc -O -D LSTMC_PRINT_VALUES NAME.swift main.swift -lm` on the host.
/// - `swift-cortex-m4`: `swiftc -enable-experimental-feature Embedded -wmo -Osize -target
///   armv7em-none-none-eabi -Xcc -mfloat-abi=hard -Xcc -mfpu=fpv4-sp-d16 -c` into one object, linked
///   with the C Cortex-M4 target's startup code, linker script and semihosting (newlib's rdimon, libm)
///   by `arm-none-eabi-gcc`, and run under `qemu-system-arm -M mps2-an386`.
package enum GeneratedSwiftRun {
  /// The Swift compiler: `$SWIFTC`, else `swiftc` on the `PATH`.
  package static var swiftc: ToolLocator.Tool {
    let name = ProcessInfo.processInfo.environment["SWIFTC"].flatMap { $0.isEmpty ? nil : $0 } ?? "swiftc"
    return ToolLocator.Tool(name: name, remedy: "install a Swift 6.2 or later toolchain (swift.org/install)")
  }

  /// Whether `target` builds generated Swift.
  package static func handles(_ target: VerificationTarget) -> Bool {
    target == .swift || target == .swiftCortexM4
  }

  /// The flags that make `swiftc` build Embedded Swift for a Cortex-M4F.
  package static let embeddedCortexM4Flags = [
    "-enable-experimental-feature", "Embedded", "-wmo", "-Osize", "-target", "armv7em-none-none-eabi",
    "-Xcc", "-mfloat-abi=hard", "-Xcc", "-mfpu=fpv4-sp-d16",
  ]

  /// What the Embedded Swift runtime needs from C that newlib lacks: `posix_memalign` (referenced by the
  /// runtime's allocation entry points; the model code never allocates, see `-no-allocations`).
  static let embeddedShim = """
    #include <errno.h>
    #include <malloc.h>
    #include <stddef.h>

    int posix_memalign(void **memptr, size_t alignment, size_t size)
    {
        void *p = memalign(alignment < sizeof(void *) ? sizeof(void *) : alignment, size);
        if (p == NULL) {
            return ENOMEM;
        }
        *memptr = p;
        return 0;
    }

    """

  /// Checks that `target`'s tools are installed.
  static func requireTools(for target: VerificationTarget) throws {
    guard handles(target) else { return }
    do {
      _ = try ToolLocator.require(swiftc)
      if target == .swiftCortexM4 { try CProgramRunner(target: .cortexM4).checkTools(running: true) }
    } catch CProgramError.toolNotFound(let tool, let remedy) {
      throw VerificationError.toolMissing(target: target, tool: tool, remedy: remedy)
    }
  }

  /// Generates Swift for `model` with one test case, builds it for `target` in `folder`, runs it and
  /// reads back its outputs.
  static func run(
    model: Model, inputs: [Tensor], expected: [Tensor], tolerance: Tolerance, target: VerificationTarget,
    in folder: URL
  ) throws -> GeneratedCRun.Outcome {
    try requireTools(for: target)
    let name = GeneratedCRun.programName
    let options = CGenerationOptions(
      name: name, maxSteps: GeneratedCRun.maxSteps(for: inputs), math: .exact,
      commandLine: "lstmc verify --target \(target.rawValue)", toolVersion: LSTMCVersion.current)
    let testCase = CTestCase(
      name: "fixture", inputs: inputs, expected: expected, tolerance: (abs: tolerance.abs, rel: tolerance.rel))
    let files: [GeneratedFile]
    do {
      files = try SwiftCodeGenerator.generate(model, testCases: [testCase], options: options)
    } catch let error as CodeGenError {
      throw VerificationError.targetFailed(target: target, reason: "cannot generate Swift: \(error.description)")
    }
    for file in files {
      try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name), options: .atomic)
    }
    let sources = files.map { folder.appendingPathComponent($0.name).path }
    let compiler = try ToolLocator.require(swiftc)
    let result: CProgramResult
    do {
      if target == .swift {
        let program = folder.appendingPathComponent("program")
        try compile(
          compiler, ["-O", "-D", "LSTMC_PRINT_VALUES"] + sources + ["-lm", "-o", program.path], in: folder,
          target: target)
        result = try CProgramRunner(target: .host).run(
          executable: program, workDirectory: folder, timeout: GeneratedCRun.runTimeout)
      } else {
        let elf = try buildCortexM4(
          compiler, sources: sources, flags: ["-D", "LSTMC_PRINT_VALUES"], in: folder, name: "program")
        result = try CProgramRunner(target: .cortexM4).run(
          executable: elf, workDirectory: folder, timeout: GeneratedCRun.runTimeout)
      }
    } catch let error as CProgramError {
      switch error {
      case .toolNotFound(let tool, let remedy):
        throw VerificationError.toolMissing(target: target, tool: tool, remedy: remedy)
      case .compileFailed(let compiler, let diagnostics):
        throw VerificationError.targetFailed(
          target: target, reason: "the generated Swift does not link (\(compiler)): \(diagnostics)")
      case .timedOut, .launchFailed, .notRunnable:
        throw VerificationError.targetFailed(target: target, reason: error.description)
      }
    }
    return try GeneratedCRun.read(result, shapes: expected.map(\.shape), target: target)
  }

  /// Builds the Swift `sources` as Embedded Swift for the Cortex-M4F (``embeddedCortexM4Flags`` and
  /// `flags`) and links them with the shim and the C target's start-up code into `NAME.elf` in `folder`.
  package static func buildCortexM4(
    _ compiler: URL, sources: [String], flags: [String] = [], in folder: URL, name: String
  )
    throws -> URL
  {
    let object = folder.appendingPathComponent("\(name)_swift.o")
    try compile(
      compiler, embeddedCortexM4Flags + flags + ["-c"] + sources + ["-o", object.path], in: folder,
      target: .swiftCortexM4)
    let shim = folder.appendingPathComponent("embedded_swift_shim.c")
    try Data(embeddedShim.utf8).write(to: shim, options: .atomic)
    return try link([object, shim], in: folder, target: .swiftCortexM4, name: name)
  }

  /// Links `objects` with the C Cortex-M4 target's startup code and semihosting, with its linker script
  /// changed in one place: Swift reaches some C symbols (`putchar`, `__stack_chk_guard`) through the
  /// GOT, so `.got` goes into `.data`, which the startup code copies to RAM.
  private static func link(_ objects: [URL], in folder: URL, target: VerificationTarget, name: String = "program")
    throws
    -> URL
  {
    let harness = CProgramRunner.harnessDirectory
    let script = try String(contentsOf: harness.appendingPathComponent("cortexm.ld"), encoding: .utf8)
      .replacingOccurrences(of: "*(.data .data.*)", with: "*(.data .data.*)\n    *(.got .got.plt .got.*)")
    let scriptURL = folder.appendingPathComponent("cortexm_swift.ld")
    try Data(script.utf8).write(to: scriptURL, options: .atomic)
    let gcc = try ToolLocator.require(.armGCC)
    let elf = folder.appendingPathComponent("\(name).elf")
    let arguments =
      CTarget.cortexM4.machineFlags + objects.map(\.path) + [
        harness.appendingPathComponent("startup_cortexm.c").path, "--specs=rdimon.specs", "-nostartfiles",
        "-T", scriptURL.path, "-Wl,--gc-sections", "-Wl,--no-enum-size-warning", "-o", elf.path, "-lm",
      ]
    let outcome = try ProcessRunner.run(gcc, arguments, in: folder, capture: "link", timeout: 300)
    guard outcome.status == 0 else {
      throw VerificationError.targetFailed(
        target: target,
        reason: "the generated Swift does not link (arm-none-eabi-gcc): "
          + CProgramRunner.firstErrors(outcome.stderr + outcome.stdout))
    }
    return elf
  }

  /// Runs `swiftc` with `arguments`.
  private static func compile(_ compiler: URL, _ arguments: [String], in folder: URL, target: VerificationTarget)
    throws
  {
    let outcome = try ProcessRunner.run(compiler, arguments, in: folder, capture: "swiftc", timeout: 600)
    guard outcome.status == 0 else {
      throw VerificationError.targetFailed(
        target: target,
        reason: "the generated Swift does not compile (swiftc): "
          + CProgramRunner.firstErrors(outcome.stderr + outcome.stdout))
    }
  }
}
