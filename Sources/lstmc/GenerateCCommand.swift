import ArgumentParser
import CanonicalModel
import CodeGen
import Foundation
import Verification

/// `lstmc generate c MODEL -o DIR [--name NAME] [--fixture F]... [--max-steps N] [--math exact|fast] [--templates DIR]`.
struct GenerateCCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "c",
    abstract: "Write dependency-free C99: NAME.h and NAME.c, and with fixtures a self-checking NAME_test.c.",
    discussion: """
      The generated code has no malloc, no global mutable state and no dependency beyond the C standard \
      library (libm). Build the test program with `cc -std=c99 NAME.c NAME_test.c -lm`; it exits 0 when every \
      output of every fixture is within tolerance.
      """)

  @Argument(help: "The model file (.h5, .keras or .safetensors).")
  var model: String

  @Option(name: .shortAndLong, help: "The folder to write into (created if missing).")
  var output: String

  @Option(help: "The symbol prefix and file name: a C identifier.")
  var name = "model"

  @Option(name: .customLong("fixture"), help: "A fixture for the test program; may be given more than once.")
  var fixtures: [String] = []

  @Option(
    name: .customLong("max-steps"),
    help: "The longest sequence a model with a backward or Bidirectional layer accepts (its buffers' length).")
  var maxSteps = 128

  @Option(
    help: ArgumentHelp("Sigmoid and tanh from libm (exact) or lstmc's approximations (fast).", valueName: "exact|fast"))
  var math = "exact"

  @Option(help: "A folder of templates used instead of lstmc's own (missing ones come from lstmc's).")
  var templates: String?

  func validate() throws {
    guard let mode = MathMode(rawValue: math) else {
      throw ValidationError("--math must be one of: \(MathMode.allCases.map(\.rawValue).joined(separator: ", ")).")
    }
    do {
      try options(mode).validate()
    } catch let error as CodeGenError {
      throw ValidationError(error.description)
    }
  }

  private func options(_ mode: MathMode) -> CGenerationOptions {
    CGenerationOptions(
      name: name, maxSteps: maxSteps, math: mode,
      templatesDirectory: templates.map { URL(fileURLWithPath: $0, isDirectory: true) },
      commandLine: Self.commandLine(), toolVersion: LSTMC.version)
  }

  func run() throws {
    var options = options(MathMode(rawValue: math) ?? .exact)
    let loaded = try Diagnostics.reporting(file: model) { try ModelLoader.load(model) }
    var cases: [(path: String, testCase: CTestCase)] = []
    for path in fixtures {
      cases.append((path, try Diagnostics.reporting(file: path) { try FixtureTestCase.load(path, model: loaded) }))
    }
    var files: [GeneratedFile]

    do {
      files = try CCodeGenerator.generate(loaded, testCases: cases.map(\.testCase), options: options)
      // Measure the code on a Cortex-M4F (when the tools are there) and regenerate with the numbers.
      let measured = CodeMeasurement.measured(files, options: options)
      if measured.codeBytes != nil {
        options = measured
        files = try CCodeGenerator.generate(loaded, testCases: cases.map(\.testCase), options: options)
      }
    } catch let error as CodeGenError {
      var reported = CLIError(file: model, error: error)
      switch error {
      case .invalidTestCase(let caseName, let reason):
        if let path = cases.first(where: { $0.testCase.name == caseName })?.path {
          reported = CLIError(file: path, message: reason)
        }
      case .templatesNotFound, .templateFailed:
        reported.file = templates ?? model
      default:
        break
      }
      try Diagnostics.reporting(file: reported.file) { throw reported }
      return
    }
    try Diagnostics.reporting(file: output) { try write(files) }
    for file in files {
      print("wrote \(URL(fileURLWithPath: output).appendingPathComponent(file.name).relativePath)")
    }
    if let report = try? CCodeGenerator.memoryReport(for: loaded, options: options) {
      print("memory: \(report.summary)")
    }
  }

  /// Creates the folder if needed and writes every file atomically (a temporary file renamed into place).
  private func write(_ files: [GeneratedFile]) throws {
    let folder = URL(fileURLWithPath: output, isDirectory: true)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else { throw CLIError(file: output, message: "exists and is not a folder") }
    } else {
      do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      } catch {
        throw CLIError(file: output, message: "cannot create the folder (\(error.localizedDescription))")
      }
    }
    for file in files {
      let url = folder.appendingPathComponent(file.name)
      do {
        try Data(file.contents.utf8).write(to: url, options: .atomic)
      } catch {
        throw CLIError(file: url.path, message: "cannot write the file (\(error.localizedDescription))")
      }
    }
  }

  /// The command line for the provenance comment: `lstmc` and the arguments as given, shell-quoted where needed.
  static func commandLine() -> String {
    (["lstmc"] + CommandLine.arguments.dropFirst()).map { argument in
      let plain = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:+,@%".contains($0) }
      return plain && !argument.isEmpty ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }.joined(separator: " ")
  }
}
