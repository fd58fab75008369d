import Foundation
import Testing

@Suite struct CommandTests {
  static let model = "Fixtures/keras/k2_basic.h5"
  static let fixture = "Fixtures/keras/k2_basic.fixture.json"

  @Test func inspectDescribesTheCanonicalModel() throws {
    let result = try CLIRunner.run(["inspect", Self.model])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("LSTM"))
    #expect(result.stdout.contains("gates input, forget, cell, output"))
    #expect(result.stdout.contains("parameters:"))
    #expect(result.stdout.contains("memory:"))
  }

  @Test func inspectJSONIsOneObject() throws {
    let result = try CLIRunner.run(["inspect", "Fixtures/keras/k3_bidi_state.keras", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let layers = try #require(object?["layers"] as? [[String: Any]])
    #expect(layers.contains { $0["kind"] as? String == "Bidirectional" })
    #expect((object?["outputs"] as? [Any])?.count == 5)
    #expect((object?["parameters"] as? Int ?? 0) > 0)
  }

  @Test func convertThenVerifyTheCanonicalFile() throws {
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("basic.safetensors").path
    let convert = try CLIRunner.run(["convert", Self.model, "-o", output])
    #expect(convert.status == 0, "\(convert.stderr)")
    let verify = try CLIRunner.run(["verify", output, "--fixture", Self.fixture, "--target", "interpreter"])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    #expect(verify.stdout.contains("PASS"))
    let inspect = try CLIRunner.run(["inspect", output])
    #expect(inspect.status == 0 && inspect.stdout.contains("tf-keras"))
  }

  @Test func verifyReportsEveryOutputAndPasses() throws {
    let result = try CLIRunner.run([
      "verify", "Fixtures/keras/k3_state_raw.keras", "--fixture", "Fixtures/keras/k3_state_raw.fixture.json",
    ])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").filter { $0.hasSuffix("PASS") }
    #expect(lines.count == 3)
    #expect(result.stdout.contains("max abs") && result.stdout.contains("max rel") && result.stdout.contains("worst ["))
  }

  @Test func verifyJSONCarriesTheSameReport() throws {
    let result = try CLIRunner.run(["verify", Self.model, "--fixture", Self.fixture, "--json", "--target", "all"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(object?["passed"] as? Bool == true)
    let reports = try #require(object?["reports"] as? [[String: Any]])
    let outputs = try #require(reports.first?["outputs"] as? [[String: Any]])
    #expect(outputs.first?["maxAbsError"] is Double)
    #expect(outputs.first?["worstIndex"] is [Int])
  }

  @Test func aNumericalMismatchExitsWithOne() throws {
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var object =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: CLIRunner.root.appendingPathComponent(Self.fixture))) as! [String: Any]
    var outputs = object["outputs"] as! [[String: Any]]
    var data = outputs[0]["data"] as! [Double]
    data[0] += 0.5
    outputs[0]["data"] = data
    object["outputs"] = outputs
    let perturbed = folder.appendingPathComponent("perturbed.fixture.json")
    try JSONSerialization.data(withJSONObject: object).write(to: perturbed)
    let result = try CLIRunner.run(["verify", Self.model, "--fixture", perturbed.path])
    #expect(result.status == 1)
    #expect(result.stdout.contains("FAIL"))
    let loose = try CLIRunner.run(["verify", Self.model, "--fixture", perturbed.path, "--abs", "1"])
    #expect(loose.status == 0)
  }

  @Test func runPrintsTheOutputs() throws {
    let result = try CLIRunner.run(["run", Self.model, "--input", Self.fixture, "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let outputs = try #require(object?["outputs"] as? [[String: Any]])
    #expect(outputs.count == 1)
    #expect((outputs[0]["data"] as? [Double])?.count == (outputs[0]["shape"] as? [Int])?.reduce(1, *))
    let text = try CLIRunner.run(["run", Self.model, "--input", Self.fixture])
    #expect(text.status == 0 && text.stdout.contains("["))
  }

  @Test func usageErrorsExitWith64() throws {
    #expect(try CLIRunner.run([]).status == 64)
    #expect(try CLIRunner.run(["verify", Self.model]).status == 64)
    #expect(try CLIRunner.run(["verify", Self.model, "--fixture", Self.fixture, "--target", "gpu"]).status == 64)
    #expect(try CLIRunner.run(["convert", Self.model]).status == 64)
    #expect(try CLIRunner.run(["frobnicate"]).status == 64)
  }

  /// `swift` used to be the target this build could not run; generated Swift now verifies.
  @Test func theSwiftTargetRuns() throws {
    let result = try CLIRunner.run(["verify", Self.model, "--fixture", Self.fixture, "--target", "swift"])
    #expect(result.status == 0, "\(result.stderr)")
  }
}
