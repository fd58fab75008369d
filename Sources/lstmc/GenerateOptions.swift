import ArgumentParser
import CanonicalModel
import CodeGen
import Foundation

/// The arguments and the shared work of `lstmc generate c` and `lstmc generate swift`:
/// loading the model and fixtures, reporting generator errors against the right
/// file, and writing the files atomically.
struct GenerateOptions: ParsableArguments {
  @Argument(help: ModelLoader.argumentHelp)
  var model: String

  @Option(name: .shortAndLong, help: "The folder to write into (created if missing).")
  var output: String

  @Option(help: "The symbol prefix and file name: a C identifier (the Swift type is its UpperCamelCase form).")
  var name = "model"

  @Option(
    name: .customLong("fixture"),
    help:
      "A fixture for the test program (lstmc-fixture-1 JSON, or an ONNX test_data_set_N folder); may be given more than once."
  )
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

  @OptionGroup var bind: BindOptions

  func validate() throws {
    guard MathMode(rawValue: math) != nil else {
      throw ValidationError("--math must be one of: \(MathMode.allCases.map(\.rawValue).joined(separator: ", ")).")
    }
    do {
      try generationOptions().validate()
    } catch let error as CodeGenError {
      throw ValidationError(error.description)
    }
  }

  /// The generator's options from the command line.
  func generationOptions() -> CGenerationOptions {
    CGenerationOptions(
      name: name, maxSteps: maxSteps, math: MathMode(rawValue: math) ?? .exact,
      templatesDirectory: templates.map { URL(fileURLWithPath: $0, isDirectory: true) },
      commandLine: Self.commandLine(), toolVersion: LSTMC.version)
  }

  /// Loads the model and turns every fixture into a test case; errors name their file.
  func load() throws -> (model: Model, cases: [(path: String, testCase: CTestCase)]) {
    let loaded = try Diagnostics.reporting(file: model) { try ModelLoader.loadBound(model, bindings: bind.bindings) }
    var cases: [(path: String, testCase: CTestCase)] = []
    for path in fixtures {
      cases.append((path, try Diagnostics.reporting(file: path) { try FixtureTestCase.load(path, model: loaded) }))
    }
    return (loaded.model, cases)
  }

  /// Runs `body`; a ``CodeGenError`` is reported against the file it concerns
  /// (a fixture, the templates folder, else the model) and exits with 2.
  func generating<T>(cases: [(path: String, testCase: CTestCase)], _ body: () throws -> T) throws -> T {
    do {
      return try body()
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
      return try Diagnostics.reporting(file: reported.file) { throw reported }
    }
  }

  /// Creates the output folder if needed, writes every file atomically (a
  /// temporary file renamed into place) and says what was written.
  func write(_ files: [GeneratedFile]) throws {
    try Diagnostics.reporting(file: output) {
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
    for file in files {
      print("wrote \(URL(fileURLWithPath: output).appendingPathComponent(file.name).relativePath)")
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
