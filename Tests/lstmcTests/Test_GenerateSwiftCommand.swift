import Foundation
import Testing

/// `lstmc generate swift`: the files it writes, its memory line, and its errors.
@Suite struct GenerateSwiftCommandTests {
  @Test func writesTheModelAndTheTestMain() throws {
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("out").path
    let result = try CLIRunner.run([
      "generate", "swift", "Fixtures/keras/k2_basic.h5", "-o", output, "--name", "kws", "--fixture",
      "Fixtures/keras/k2_basic.fixture.json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let model = try String(contentsOfFile: output + "/kws.swift", encoding: .utf8)
    #expect(model.contains("public struct Kws {"))
    #expect(model.contains("public mutating func step("))
    #expect(!model.contains("import "))
    #expect(FileManager.default.fileExists(atPath: output + "/main.swift"))
    #expect(result.stdout.contains("memory: weights 788 B"))
  }

  @Test func aBadNameIsAUsageError() throws {
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CLIRunner.run([
      "generate", "swift", "Fixtures/keras/k2_basic.h5", "-o", folder.path, "--name", "1bad",
    ])
    #expect(result.status == 64)
  }
}
