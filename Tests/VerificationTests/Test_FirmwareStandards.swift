import CanonicalModel
import CodeGen
import Foundation
import KerasImport
import Targets
import Testing
import Verification

/// The generated model code (`NAME.h`, `NAME.c`) meets the firmware rules for
/// every fixture model, checked on the code and on the compiled objects: only
/// the four allowed headers, no heap, no stdio, no mutable static data (no
/// symbol in .data or .bss), no VLAs, and on a Cortex-M4F no recursion and no
/// dynamically sized stack frame.
@Suite struct FirmwareStandardsTests {
  static let models: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: FixtureFiles.keras.path)) ?? []
    return names.filter { $0.hasSuffix(".h5") || $0.hasSuffix(".keras") }.sorted()
  }()

  static let allowedIncludes: Set<String> = ["<stddef.h>", "<stdint.h>", "<string.h>", "<math.h>", "\"net.h\""]
  static let forbidden = ["malloc", "calloc", "realloc", "free(", "alloca", "printf", "FILE", "stdio", "exit("]

  static func generate(_ file: String, math: MathMode, in folder: URL) throws -> [GeneratedFile] {
    let model = try KerasImporter.importModel(at: FixtureFiles.keras.appendingPathComponent(file))
    let files = try CCodeGenerator.generate(model, testCases: [], options: CGenerationOptions(name: "net", math: math))
    for generated in files {
      try Data(generated.contents.utf8).write(to: folder.appendingPathComponent(generated.name))
    }
    return files
  }

  @Test(arguments: MathMode.allCases)
  func modelCodeFollowsTheRules(math: MathMode) throws {
    let folder = try CBuildSupport.scratch("firmware")
    defer { CBuildSupport.remove(folder) }
    var problems: [String] = []
    for file in Self.models {
      let files = try Self.generate(file, math: math, in: folder)
      for generated in files {
        for line in generated.contents.split(separator: "\n") where line.hasPrefix("#include") {
          let header = line.dropFirst("#include".count).trimmingCharacters(in: .whitespaces)
          if !Self.allowedIncludes.contains(header) { problems.append("\(file): \(generated.name) includes \(header)") }
        }
        let code = generated.contents.split(separator: "\n").filter {
          !$0.trimmingCharacters(in: .whitespaces).hasPrefix("*") && !$0.hasPrefix("/*")
        }.joined(separator: "\n")
        for word in Self.forbidden where code.contains(word) {
          problems.append("\(file): \(generated.name) uses \(word)")
        }
      }
      // No mutable static data: the object has no .data/.bss/common symbols.
      let object = folder.appendingPathComponent("net.o").path
      let compile = try Self.run(
        "cc", ["-std=c99", "-O2", "-Wvla", "-Werror", "-c", "net.c", "-o", object], in: folder)
      guard compile.status == 0 else {
        problems.append("\(file): does not compile: \(compile.output.prefix(300))")
        continue
      }
      let symbols = try Self.run("nm", [object], in: folder)
      for line in symbols.output.split(separator: "\n") {
        let parts = line.split(separator: " ")
        guard parts.count >= 2, let type = parts[parts.count - 2].first else { continue }
        if "bBdDcCgGsS".contains(type) { problems.append("\(file): mutable static data: \(line)") }
      }
    }
    #expect(problems.isEmpty, "\(problems.prefix(20).joined(separator: "\n"))")
  }

  @Test(.enabled(if: CBuildSupport.hasArmCompiler), arguments: MathMode.allCases)
  func noRecursionAndStaticFramesOnCortexM4(math: MathMode) throws {
    let folder = try CBuildSupport.scratch("firmware-m4")
    defer { CBuildSupport.remove(folder) }
    var problems: [String] = []
    for file in Self.models {
      _ = try Self.generate(file, math: math, in: folder)
      let usage = try MemoryMeasurement.measure(
        sources: [folder.appendingPathComponent("net.c")], includeDirectories: [folder], workDirectory: folder)
      #expect(usage.data == 0 && usage.bss == 0, "\(file): data \(usage.data), bss \(usage.bss)")
      for function in usage.functions {
        if function.isRecursive { problems.append("\(file): \(function.name) is recursive") }
        if function.qualifier != "static" {
          problems.append("\(file): \(function.name) has a \(function.qualifier) stack frame")
        }
      }
      #expect(usage.stack(of: "net_predict") != nil, "\(file): no stack figure for net_predict")
    }
    #expect(problems.isEmpty, "\(problems.prefix(20).joined(separator: "\n"))")
  }

  static func run(_ tool: String, _ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    process.currentDirectoryURL = folder
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}

/// In CI (`LSTMC_REQUIRE_CORTEX_M=1`) the Cortex-M tests must run, not skip.
@Suite struct CortexMToolsTests {
  @Test func ciHasTheCortexMTools() {
    #expect(!CBuildSupport.cortexMRequired || (CBuildSupport.hasArmCompiler && CBuildSupport.canRunCortexM))
  }
}
