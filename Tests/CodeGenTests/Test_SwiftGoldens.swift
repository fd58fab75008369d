import CanonicalModel
import CodeGen
import Foundation
import Testing

/// Generated Swift for the three small models of ``Test_Goldens`` (Swift has one layout, so not the Cortex-M4
/// variant), byte for byte against `Fixtures/Generated/<model>/swift/`,
/// built and run on the host, and built as Embedded Swift for armv7em and riscv32 without allocations.
/// `LSTMC_UPDATE_GOLDENS=1 swift test --filter Test_SwiftGoldens` rewrites them (review the diff).
@Suite struct Test_SwiftGoldens {
  static let goldens = Test_Goldens.goldens.filter { $0.targetCore == .host }

  static func generate(_ golden: Test_Goldens.Golden, math: MathMode = .exact) throws -> [GeneratedFile] {
    let model = try KerasFixture.model(golden.model)
    let options = CGenerationOptions(
      name: "model", maxSteps: 16, math: math,
      commandLine:
        "lstmc generate swift Fixtures/keras/\(golden.model) -o Fixtures/Generated/\(golden.folder)/swift "
        + "--fixture Fixtures/keras/\(golden.fixture) --max-steps 16",
      toolVersion: "0.1.0")
    return try SwiftCodeGenerator.generate(
      model, testCases: [try KerasFixture.testCase(golden.fixture, for: model)], options: options)
  }

  static func folder(_ golden: Test_Goldens.Golden) -> URL {
    Repository.generated.appendingPathComponent(golden.folder).appendingPathComponent("swift")
  }

  /// `swiftc` from the `PATH`, if there is one.
  static var swiftc: String? {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
      .map { "\($0)/swiftc" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  static let embedded = [
    "-enable-experimental-feature", "Embedded", "-wmo", "-Osize", "-parse-as-library", "-Xfrontend",
    "-no-allocations",
  ]

  @Test(arguments: goldens)
  func generatedCodeMatchesTheGolden(golden: Test_Goldens.Golden) throws {
    let files = try Self.generate(golden)
    #expect(files.map(\.name) == ["model.swift", "main.swift"])
    let folder = Self.folder(golden)
    if Test_Goldens.updating {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for file in files { try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name)) }
    }
    for file in files {
      let stored = try String(contentsOf: folder.appendingPathComponent(file.name), encoding: .utf8)
      #expect(
        stored == file.contents,
        "\(golden.folder)/swift/\(file.name) differs; rerun with LSTMC_UPDATE_GOLDENS=1 and review")
    }
  }

  @Test(arguments: goldens)
  func theGoldenBuildsAndPassesOnTheHost(golden: Test_Goldens.Golden) throws {
    guard !Test_Goldens.updating, let swiftc = Self.swiftc else { return }
    let folder = try TemporaryFolder()
    try folder.write(try Self.generate(golden))
    let built = try Host.run(swiftc, ["-O", "model.swift", "main.swift", "-lm", "-o", "program"], in: folder.url)
    try #require(built.status == 0, "\(built.error)")
    let result = try Host.run(folder.url.appendingPathComponent("program").path, [], in: folder.url)
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("result PASS"))
  }

  /// Both math modes: fast math's exponent-bit shift once compiled to a generic shift that allocates.
  @Test(arguments: ["armv7em-none-none-eabi", "riscv32-none-none-eabi"], [MathMode.exact, .fast])
  func theModelBuildsAsEmbeddedSwiftWithoutAllocations(target: String, math: MathMode) throws {
    guard let swiftc = Self.swiftc else { return }
    for golden in Self.goldens {
      let folder = try TemporaryFolder()
      try folder.write(try Self.generate(golden, math: math))
      var flags = Self.embedded + ["-target", target, "-c", "model.swift", "-o", "model.o"]
      if target.hasPrefix("armv7em") { flags += ["-Xcc", "-mfloat-abi=hard", "-Xcc", "-mfpu=fpv4-sp-d16"] }
      let built = try Host.run(swiftc, flags, in: folder.url)
      #expect(built.status == 0, "\(golden.folder) for \(target), --math \(math.rawValue): \(built.error)")
    }
  }

  /// `-no-allocations` really rejects allocating code (so the build above proves something).
  @Test func noAllocationsRejectsAnAllocation() throws {
    guard let swiftc = Self.swiftc else { return }
    let folder = try TemporaryFolder()
    try folder.write([
      GeneratedFile(
        name: "model.swift", contents: "public func make(_ n: Int) -> [Float] { [Float](repeating: 1, count: n) }\n")
    ])
    let built = try Host.run(
      swiftc, Self.embedded + ["-target", "armv7em-none-none-eabi", "-c", "model.swift", "-o", "model.o"],
      in: folder.url)
    #expect(built.status != 0)
  }

  @Test func typeNamesAreUpperCamelCase() {
    #expect(SwiftCodeGenerator.typeName("k2_basic") == "K2Basic")
    #expect(SwiftCodeGenerator.typeName("kws") == "Kws")
    #expect(SwiftCodeGenerator.typeName("lstmc_model") == "LstmcModel")
  }
}
