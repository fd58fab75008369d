import CanonicalModel
import CodeGen
import Foundation

/// Generates a model's C, compiles it with a test program, and runs it.
enum GeneratedProgram {
  /// Writes the generated files (and `extraFiles`) into `folder`, compiles every `.c` file there with the
  /// strict flags plus `flags`, and returns the program's path; a compiler error is thrown with its output.
  static func build(
    _ model: Model, testCases: [CTestCase], options: CGenerationOptions = CGenerationOptions(),
    in folder: TemporaryFolder, compiler: String = "cc", flags: [String] = ["-O1"],
    extraFiles: [GeneratedFile] = []
  ) throws -> URL {
    let files = try CCodeGenerator.generate(model, testCases: testCases, options: options)
    try folder.write(files + extraFiles)
    let sources = (files + extraFiles).map(\.name).filter { $0.hasSuffix(".c") }
    let compiled = try Host.compile(sources, into: "program", in: folder.url, compiler: compiler, flags: flags)
    guard compiled.status == 0 else {
      throw Failure("\(compiler) failed for \(options.name):\n\(compiled.error)\(compiled.output)")
    }
    return folder.url.appendingPathComponent("program")
  }

  /// Builds and runs; returns what the program printed and its exit status.
  static func run(
    _ model: Model, testCases: [CTestCase], options: CGenerationOptions = CGenerationOptions(),
    compiler: String = "cc", flags: [String] = ["-O1"], extraFiles: [GeneratedFile] = []
  ) throws -> ProcessResult {
    let folder = try TemporaryFolder()
    let program = try build(
      model, testCases: testCases, options: options, in: folder, compiler: compiler, flags: flags,
      extraFiles: extraFiles)
    return try Host.run(program.path, [], in: folder.url)
  }

  /// The `values <case> <output> v0 v1 ...` lines a test program built with `-DLSTMC_PRINT_VALUES`
  /// printed, keyed by case and output.
  static func values(in output: String) -> [[Int]: [Double]] {
    var values: [[Int]: [Double]] = [:]
    for line in output.split(separator: "\n") where line.hasPrefix("values ") {
      let fields = line.split(separator: " ").dropFirst()
      guard fields.count >= 2, let testCase = Int(fields[fields.startIndex]),
        let output = Int(fields[fields.startIndex + 1])
      else { continue }
      values[[testCase, output]] = fields.dropFirst(2).compactMap { Double($0) }
    }
    return values
  }
}
