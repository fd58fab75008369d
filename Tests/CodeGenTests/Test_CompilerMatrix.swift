import CanonicalModel
import CodeGen
import Foundation
import Testing

/// The generated code with clang, under AddressSanitizer and UndefinedBehaviorSanitizer, and the header as C++.
@Suite struct Test_CompilerMatrix {
  static let clangModels = ["k2_basic", "k2_bidi_pair_b", "k2_embedding_mask", "k3_acts_a", "k3_masking_seq"]
  /// A covering subset of the Keras fixtures runs under the sanitizers (``Repository/coveringManifest``):
  /// every layer, pair of layers and input/output layout once (every fixture runs unsanitized elsewhere).
  static let sanitizedModels: [String] = Repository.coveringManifest.map {
    String($0.fixture.dropLast(".fixture.json".count))
  }

  static func load(_ fixture: String) throws -> (Model, CTestCase) {
    let entry = try #require(try Repository.manifest().first { $0.fixture == fixture + ".fixture.json" })
    let model = try KerasFixture.model(entry.model)
    return (model, try KerasFixture.testCase(entry.fixture, for: model))
  }

  @Test(arguments: clangModels)
  func clangCompilesCleanly(fixture: String) throws {
    let clang = try #require(Host.clang, "no clang found")
    let (model, testCase) = try Self.load(fixture)
    for math in MathMode.allCases {
      let result = try GeneratedProgram.run(
        model, testCases: [testCase], options: CGenerationOptions(name: "model", math: math), compiler: clang,
        flags: ["-O2"])
      #expect(result.status == 0, "\(result.output)")
    }
  }

  @Test(arguments: sanitizedModels)
  func runsCleanUnderSanitizers(fixture: String) throws {
    let (model, testCase) = try Self.load(fixture)
    // Buffers exactly as long as the fixture's sequence, so an overrun by one step is caught.
    let steps = testCase.inputs[0].shape.count > 1 ? testCase.inputs[0].shape[1] : 1
    let result = try GeneratedProgram.run(
      model, testCases: [testCase], options: CGenerationOptions(name: "model", maxSteps: steps),
      flags: ["-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"])
    #expect(result.status == 0, "\(result.output)\(result.error)")
    #expect(!result.error.contains("runtime error"))
  }

  @Test(arguments: ["k2_basic", "k2_bidi_state", "k2_embedding_mask", "k3_state_seq"])
  func headerCompilesAsCPlusPlus(fixture: String) throws {
    let (model, _) = try Self.load(fixture)
    let folder = try TemporaryFolder()
    try folder.write(try CCodeGenerator.generate(model, testCases: [], options: CGenerationOptions(name: "net")))
    try folder.write([
      GeneratedFile(
        name: "use.cpp",
        contents: """
          #include "net.h"
          static net_state_t state;
          int main() { net_reset(&state); return NET_NUM_OUTPUTS > 0 ? 0 : 1; }

          """)
    ])
    let result = try Host.run(
      "g++", ["-x", "c++", "-std=c++11", "-fsyntax-only", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "use.cpp"],
      in: folder.url)
    #expect(result.status == 0, "\(result.error)")
  }
}
