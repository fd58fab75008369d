import ArgumentParser
import CanonicalModel
import CodeGen
import Foundation
import Verification

/// `lstmc generate c MODEL -o DIR [--name NAME] [--fixture F]... [--max-steps N] [--math exact|fast]
/// [--target-core host|cortex-m4|cortex-m3|generic] [--templates DIR]`.
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

  @Option(
    name: .customLong("target-core"),
    help: ArgumentHelp(
      "The processor family the recurrent loops and weight layout are shaped for: host (wide SIMD), cortex-m4 "
        + "(FPU, blocks of 8 rows), cortex-m3 (soft float, blocks of 4), generic (unknown scalar core).",
      valueName: TargetCoreOption.valueNames))
  var targetCore = TargetCore.host.rawValue

  func validate() throws {
    _ = try TargetCoreOption.parse(targetCore)
  }

  func run() throws {
    var generation = options.generationOptions()
    generation.targetCore = try TargetCoreOption.parse(targetCore) ?? .host
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
