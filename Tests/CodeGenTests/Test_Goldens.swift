import CanonicalModel
import CodeGen
import Foundation
import Testing

/// Generated C for three small models (an LSTM, a masked Bidirectional LSTM, a GRU stack in both reset modes), and
/// the GRU stack again in the Cortex-M4 row-block layout, byte for byte against `Fixtures/Generated/<model>/`.
/// `LSTMC_UPDATE_GOLDENS=1 swift test --filter Test_Goldens` rewrites them (review the diff).
@Suite struct Test_Goldens {
  struct Golden: CustomStringConvertible, Sendable {
    var model: String
    var fixture: String
    var folder: String
    var targetCore: TargetCore = .host
    var description: String { folder }
  }

  static let goldens = [
    Golden(model: "k2_basic.h5", fixture: "k2_basic.fixture.json", folder: "k2_basic"),
    Golden(model: "k2_masking_bidi.h5", fixture: "k2_masking_bidi.fixture.json", folder: "k2_masking_bidi"),
    Golden(model: "k3_gru_stateful.keras", fixture: "k3_gru_stateful.fixture.json", folder: "k3_gru_stateful"),
    Golden(
      model: "k3_gru_stateful.keras", fixture: "k3_gru_stateful.fixture.json", folder: "k3_gru_stateful_cortex_m4",
      targetCore: .cortexM4),
  ]

  static var updating: Bool { ProcessInfo.processInfo.environment["LSTMC_UPDATE_GOLDENS"] == "1" }

  static func generate(_ golden: Golden) throws -> [GeneratedFile] {
    let model = try KerasFixture.model(golden.model)
    let options = CGenerationOptions(
      name: "model", maxSteps: 16, targetCore: golden.targetCore,
      commandLine:
        "lstmc generate c Fixtures/keras/\(golden.model) -o Fixtures/Generated/\(golden.folder) "
        + "--fixture Fixtures/keras/\(golden.fixture) --max-steps 16"
        + (golden.targetCore == .host ? "" : " --target-core \(golden.targetCore.rawValue)"),
      toolVersion: "0.1.0")
    return try CCodeGenerator.generate(
      model, testCases: [try KerasFixture.testCase(golden.fixture, for: model)], options: options)
  }

  @Test(arguments: goldens)
  func generatedCodeMatchesTheGolden(golden: Golden) throws {
    let files = try Self.generate(golden)
    #expect(files.map(\.name) == ["model.h", "model.c", "model_test.c"])
    let folder = Repository.generated.appendingPathComponent(golden.folder)
    if Self.updating {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for file in files { try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name)) }
    }
    for file in files {
      let stored = try String(contentsOf: folder.appendingPathComponent(file.name), encoding: .utf8)
      #expect(
        stored == file.contents,
        "\(golden.folder)/\(file.name) differs from the generated code; rerun with LSTMC_UPDATE_GOLDENS=1 and review")
    }
  }

  @Test(arguments: goldens)
  func theGoldenCompilesAndPasses(golden: Golden) throws {
    guard !Self.updating else { return }  // the files are being rewritten concurrently
    let source = Repository.generated.appendingPathComponent(golden.folder)
    let folder = try TemporaryFolder()
    for name in ["model.h", "model.c", "model_test.c"] {
      try FileManager.default.copyItem(
        at: source.appendingPathComponent(name), to: folder.url.appendingPathComponent(name))
    }
    let compiled = try Host.compile(["model.c", "model_test.c"], into: "program", in: folder.url, flags: ["-O1"])
    try #require(compiled.status == 0, "\(compiled.error)")
    let result = try Host.run(folder.url.appendingPathComponent("program").path, [], in: folder.url)
    #expect(result.status == 0, "\(result.output)")
  }

  @Test func generationIsDeterministic() throws {
    let first = try Self.generate(Self.goldens[1])
    let second = try Self.generate(Self.goldens[1])
    #expect(first == second)
    for file in first {
      #expect(!file.contents.contains(Repository.root.path), "\(file.name) holds an absolute path")
    }
  }
}
