import ArgumentParser
import CanonicalModel
import CodeGen
import Foundation
import Verification

/// `lstmc generate swift MODEL -o DIR [--name NAME] [--fixture F]... [--max-steps N] [--math exact|fast] [--templates DIR]`.
struct GenerateSwiftCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "swift",
    abstract: "Write dependency-free Swift: NAME.swift, and with fixtures a self-checking main.swift.",
    discussion: """
      The generated type uses no Foundation, classes, existentials or heap, and builds as ordinary Swift and \
      as Embedded Swift (-enable-experimental-feature Embedded -wmo -Xfrontend -no-allocations). Build the test \
      program with `swiftc -O NAME.swift main.swift`; it exits 0 when every output of every fixture is within \
      tolerance.
      """)

  @Argument(help: "The model file (.h5, .keras or .safetensors).")
  var model: String

  @Option(name: .shortAndLong, help: "The folder to write into (created if missing).")
  var output: String

  @Option(help: "The symbol prefix and file name: a C identifier (the type is its UpperCamelCase form).")
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
      commandLine: GenerateCCommand.commandLine(), toolVersion: LSTMC.version)
  }

  func run() throws {
    let options = options(MathMode(rawValue: math) ?? .exact)
    let loaded = try Diagnostics.reporting(file: model) { try ModelLoader.load(model) }
    var cases: [(path: String, testCase: CTestCase)] = []
    for path in fixtures {
      cases.append((path, try Diagnostics.reporting(file: path) { try FixtureTestCase.load(path, model: loaded) }))
    }
    let files: [GeneratedFile]

    do {
      files = try SwiftCodeGenerator.generate(loaded, testCases: cases.map(\.testCase), options: options)
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
      let state = (try? SwiftCodeGenerator.stateBytes(for: loaded, options: options)) ?? report.stateStructBytes
      var line = "memory: weights \(report.weightsBytes) B, state \(state) B"
      if let source = files.first,
        let size = SwiftMemoryMeasurement.measureIfAvailable(
          source: source.contents, fileName: source.name)
      {
        line +=
          "; Embedded Swift object for a Cortex-M4F (arm-none-eabi-size): text \(size.text) B "
          + "(code about \(max(0, size.text - report.weightsBytes)) B + weights), data \(size.data) B, bss \(size.bss) B; "
          + "stack not measured (Swift has no -fstack-usage)"
      }
      print(line)
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
}
