import ArgumentParser
import CanonicalModel
import CodeGen
import Foundation
import Targets
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

  @OptionGroup var options: GenerateOptions

  func run() throws {
    let generation = options.generationOptions()
    let (loaded, cases) = try options.load()
    let files = try options.generating(cases: cases) {
      try SwiftCodeGenerator.generate(loaded, testCases: cases.map(\.testCase), options: generation)
    }
    try options.write(files)
    if let report = try? CCodeGenerator.memoryReport(for: loaded, options: generation) {
      let state = (try? SwiftCodeGenerator.stateBytes(for: loaded, options: generation)) ?? report.stateStructBytes
      var line = "memory: weights \(report.weightsBytes) B, state \(state) B"
      if let source = files.first,
        let size = SwiftMemoryMeasurement.measureIfAvailable(source: source.contents, fileName: source.name)
      {
        line +=
          "; Embedded Swift object for a Cortex-M4F (arm-none-eabi-size): text \(size.text) B "
          + "(code about \(max(0, size.text - report.weightsBytes)) B + weights), data \(size.data) B, bss \(size.bss) B; "
          + "stack not measured (Swift has no -fstack-usage)"
      }
      print(line)
    }
  }
}
