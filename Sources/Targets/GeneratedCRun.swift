import CanonicalModel
import CodeGen
import FixtureFormat
import Foundation

/// Builds generated C (`NAME.c` and the self-checking `NAME_test.c`) for a
/// verification target, runs it, and reads back every output value it computed,
/// so the Swift comparison judges generated code exactly as it judges the interpreter.
///
/// The test program is built with `-DLSTMC_PRINT_VALUES` and must print, per
/// test case and output, `values <case> <output> v0 v1 …` (the whole batch,
/// row-major, each float32 as `%.9g`) and finally `result PASS` or `result FAIL`,
/// exiting 0 or 1 accordingly.
package enum GeneratedCRun {
  /// What one run produced.
  package struct Outcome: Equatable {
    /// The outputs of test case 0, shaped like the expected outputs.
    package var outputs: [Tensor]
    /// The program's own verdict on them.
    package var programPassed: Bool
    /// The lines in which the program reported a failed check.
    package var failureLines: [String] = []
  }

  /// The C machine a verification target builds for, `nil` for other targets.
  package static func cTarget(for target: VerificationTarget) -> CTarget? {
    switch target {
    case .c: return .host
    case .cCortexM4: return .cortexM4
    case .cCortexM3: return .cortexM3
    case .interpreter, .swift, .swiftCortexM4: return nil
    }
  }

  /// Seconds a test program may run: 120, or `LSTMC_RUN_TIMEOUT`.
  static var runTimeout: Double {
    ProcessInfo.processInfo.environment["LSTMC_RUN_TIMEOUT"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil }
      ?? 120
  }

  /// Checks that `target`'s tools are installed.
  ///
  /// - Throws: ``VerificationError/toolMissing(target:tool:remedy:)``.
  static func requireTools(
    for target: VerificationTarget, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws {
    guard let cTarget = cTarget(for: target) else { return }
    do {
      try CProgramRunner(target: cTarget).checkTools(running: true, environment: environment)
    } catch CProgramError.toolNotFound(let tool, let remedy) {
      throw VerificationError.toolMissing(target: target, tool: tool, remedy: remedy)
    }
  }

  /// Generates C for `model` with `inputs` and `expected` as its one test case,
  /// builds it for `target` in `folder`, runs it and reads back its outputs.
  static func run(
    model: Model, inputs: [Tensor], expected: [Tensor], tolerance: Tolerance, target: VerificationTarget,
    in folder: URL, math: MathMode = .exact, targetCore: TargetCore? = nil
  ) throws -> Outcome {
    try requireTools(for: target)
    let files = try generate(
      model: model, inputs: inputs, expected: expected, tolerance: tolerance, target: target, math: math,
      targetCore: targetCore)
    return try buildAndRun(
      files: files, name: programName, shapes: expected.map(\.shape), target: target, in: folder)
  }

  /// Writes `files` into `folder`, builds `NAME.c` and `NAME_test.c` for `target`,
  /// runs the program and returns the outputs of its test case 0.
  ///
  /// - Parameter shapes: the shape of each output (batch first).
  /// - Throws: ``VerificationError``: missing tools, or a program that does not
  ///   compile, crashes, hangs or prints no values.
  static func buildAndRun(
    files: [(name: String, contents: String)], name: String, shapes: [[Int]], target: VerificationTarget,
    in folder: URL
  ) throws -> Outcome {
    guard let cTarget = cTarget(for: target) else { throw VerificationError.targetUnavailable(target) }
    try requireTools(for: target)
    for file in files {
      try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name), options: .atomic)
    }
    let sources = ["\(name).c", "\(name)_test.c"].map { folder.appendingPathComponent($0) }
    let runner = CProgramRunner(target: cTarget)
    let result: CProgramResult
    do {
      result = try runner.buildAndRun(
        sources: sources, includeDirectories: [folder], defines: ["LSTMC_PRINT_VALUES"], extraFlags: [],
        workDirectory: folder, timeout: runTimeout)
    } catch let error as CProgramError {
      switch error {
      case .toolNotFound(let tool, let remedy):
        throw VerificationError.toolMissing(target: target, tool: tool, remedy: remedy)
      case .compileFailed(let compiler, let diagnostics):
        throw VerificationError.targetFailed(
          target: target, reason: "the generated C does not compile (\(compiler)): \(diagnostics)")
      case .timedOut, .launchFailed, .notRunnable:
        throw VerificationError.targetFailed(target: target, reason: error.description)
      }
    }
    return try read(result, shapes: shapes, target: target)
  }

  /// Turns a finished test program's output into the outputs of case 0.
  static func read(_ result: CProgramResult, shapes: [[Int]], target: VerificationTarget) throws -> Outcome {
    func failure(_ what: String) -> VerificationError {
      let tail = result.stderrTail()
      return .targetFailed(target: target, reason: tail.isEmpty ? what : "\(what): \(tail)")
    }
    guard result.status == 0 || result.status == 1 else {
      let how = result.signal.map { "was killed by signal \($0)" } ?? "exited with status \(result.status)"
      throw failure("the test program \(how)")
    }
    let output: CTestProgramOutput
    let outputs: [Tensor]
    do {
      output = try CTestProgramOutput(parsing: result.stdout)
      outputs = try output.outputs(ofCase: 0, shapes: shapes)
    } catch let error as CTestProgramOutput.ParseError {
      throw failure("the test program's output cannot be read: \(error.description)")
    }
    guard let passed = output.passed else { throw failure("the test program printed no result line") }
    guard passed == (result.status == 0) else {
      throw failure("the test program printed result \(passed ? "PASS" : "FAIL") but exited with \(result.status)")
    }
    return Outcome(outputs: outputs, programPassed: passed, failureLines: output.failureLines)
  }
}

/// A temporary folder for one generated-code build, removed when done unless
/// the build failed and `LSTMC_KEEP_BUILD=1`.
package struct BuildFolder {
  package let url: URL

  package init(label: String) throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lstmc-\(label)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// Whether a failed build's files stay behind for inspection.
  static var keepOnFailure: Bool { ProcessInfo.processInfo.environment["LSTMC_KEEP_BUILD"] == "1" }

  /// Removes the folder, except after a failure with `LSTMC_KEEP_BUILD=1`; returns whether it was kept.
  @discardableResult
  package func finish(failed: Bool) -> Bool {
    if failed, Self.keepOnFailure { return true }
    try? FileManager.default.removeItem(at: url)
    return false
  }

  /// `error` with a note where the build was kept, when it was.
  package func annotate(_ error: Error, target: VerificationTarget) -> Error {
    guard Self.keepOnFailure, case VerificationError.targetFailed(let failed, let reason) = error else { return error }
    return VerificationError.targetFailed(target: failed, reason: "\(reason) (build kept in \(url.path))")
  }
}
