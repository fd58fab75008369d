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

  @OptionGroup var options: GenerateOptions

  func run() throws {
    var generation = options.generationOptions()
    let (loaded, cases) = try options.load()
    let files = try options.generating(cases: cases) { () -> [GeneratedFile] in
      // Measure the code on a Cortex-M4F (when the tools are there) from a source that declares the
      // weight tables instead of spelling them (same code, compiles in a fraction of the time), then
      // generate once with the numbers.
      var declaring = generation
      declaring.declaresTablesOnly = true
      let skeleton = try CCodeGenerator.generate(loaded, testCases: [], options: declaring)
      let measured = CodeMeasurement.measured(skeleton, options: generation)
      if measured.codeBytes != nil { generation = measured }
      return try CCodeGenerator.generate(loaded, testCases: cases.map(\.testCase), options: generation)
    }
    try options.write(files)
    if let report = try? CCodeGenerator.memoryReport(for: loaded, options: generation) {
      print("memory: \(report.summary)")
    }
  }
}
