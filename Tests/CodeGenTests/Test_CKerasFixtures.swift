import CanonicalModel
import CodeGen
import Foundation
import Testing

/// Every Keras fixture, generated with its fixture as the test case, compiled with the host `cc`
/// and the strict flags, run: exact math and fast math must both pass.
@Suite struct Test_CKerasFixtures {
  static let entries = (try? Repository.manifest()) ?? []

  @Test func manifestIsThere() {
    #expect(Self.entries.count >= 53)
  }

  @Test(arguments: entries.map(\.fixture))
  func exactMathPasses(fixture: String) throws {
    let modelFile = try #require(Self.entries.first { $0.fixture == fixture }).model
    let model = try KerasFixture.model(modelFile)
    let testCase = try KerasFixture.testCase(fixture, for: model)
    let result = try GeneratedProgram.run(
      model, testCases: [testCase], options: CGenerationOptions(name: "model"),
      flags: ["-O1", "-DLSTMC_PRINT_VALUES"])
    #expect(result.status == 0, "\(result.output)\(result.error)")
    #expect(result.output.contains("result PASS"))
    #expect(result.output.contains("streaming PASS") == CCodeGenerator.canStream(model))
    #expect(!result.output.contains("FAIL"))

    // The printed values are the outputs, batch first: check them against the fixture here too.
    let values = GeneratedProgram.values(in: result.output)
    for (k, expected) in testCase.expected.enumerated() {
      let actual = try #require(values[[0, k]], "no values line for output \(k)")
      try #require(actual.count == expected.elementCount)
      for (a, e) in zip(actual, expected.data.map(Double.init)) {
        #expect(abs(a - e) <= testCase.tolerance.abs + testCase.tolerance.rel * abs(e))
      }
    }
  }

  @Test(arguments: entries.map(\.fixture))
  func fastMathPasses(fixture: String) throws {
    let modelFile = try #require(Self.entries.first { $0.fixture == fixture }).model
    let model = try KerasFixture.model(modelFile)
    let testCase = try KerasFixture.testCase(fixture, for: model)
    let result = try GeneratedProgram.run(
      model, testCases: [testCase], options: CGenerationOptions(name: "fast_model", math: .fast))
    #expect(result.status == 0, "\(result.output)\(result.error)")
    #expect(result.output.contains("result PASS"))
  }
}
