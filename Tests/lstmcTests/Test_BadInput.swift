import Foundation
import Testing

/// Every kind of bad input gives one line on stderr naming the file, exit code 2,
/// no crash and no output file.
@Suite struct BadInputTests {
  struct Case: CustomStringConvertible, Sendable {
    var file: String
    var message: String
    var description: String { file }
  }

  static let badModels: [Case] = [
    Case(file: "Fixtures/bad/does-not-exist.h5", message: "no such file"),
    Case(file: "Fixtures/bad/empty.h5", message: "empty"),
    Case(file: "Fixtures/bad/random.bin", message: "unknown model file kind"),
    Case(file: "Fixtures/bad/truncated.h5", message: "HDF5"),
    Case(file: "Fixtures/bad/not_keras.h5", message: "not a Keras model"),
    Case(file: "Fixtures/bad/no_weights.keras", message: "model.weights.h5"),
    Case(file: "Fixtures/bad/k2_conv1d.h5", message: "Conv1D"),
    Case(file: "Fixtures/bad/k3_conv1d.keras", message: "Conv1D"),
    Case(file: "Fixtures/bad/k2_time_major.h5", message: "time_major"),
    Case(file: "Fixtures/bad/k2_branches.h5", message: "chain"),
    Case(file: "Fixtures", message: "directory"),
  ]

  @Test(arguments: badModels)
  func badModelIsOneLineAndExitTwo(bad: Case) throws {
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("out.safetensors")
    for arguments in [
      ["inspect", bad.file], ["convert", bad.file, "-o", output.path],
      ["verify", bad.file, "--fixture", "Fixtures/keras/k2_basic.fixture.json"],
    ] {
      let result = try CLIRunner.run(arguments)
      #expect(result.status == 2, "\(arguments): \(result.stderr)")
      let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
      #expect(lines.count == 1, "\(arguments): \(result.stderr)")
      #expect(result.stderr.hasPrefix("lstmc: error: \(bad.file): "), "\(result.stderr)")
      #expect(result.stderr.contains(bad.message), "\(result.stderr) should mention \(bad.message)")
      #expect(result.stdout.isEmpty)
    }
    #expect(!FileManager.default.fileExists(atPath: output.path))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }

  @Test func unsupportedActivationNamesWhatIsSupported() throws {
    let result = try CLIRunner.run(["inspect", "Fixtures/bad/k3_unsupported_activation.keras"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("supported"))
  }

  @Test func mismatchedFixtureIsBadInputNotAFailure() throws {
    let fixture = "Fixtures/bad/mismatched.fixture.json"
    let result = try CLIRunner.run(["verify", "Fixtures/keras/k2_basic.h5", "--fixture", fixture])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("lstmc: error: \(fixture): "))
    #expect(result.stderr.contains("shape"))
    #expect(result.stdout.isEmpty)
  }

  @Test func fixtureThatIsNotJSONIsBadInput() throws {
    let result = try CLIRunner.run(["verify", "Fixtures/keras/k2_basic.h5", "--fixture", "Fixtures/keras/k2_basic.h5"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("not a JSON object"))
  }

  @Test func convertIntoMissingFolderLeavesNothing() throws {
    let result = try CLIRunner.run(["convert", "Fixtures/keras/k2_basic.h5", "-o", "/nonexistent-lstmc/x.safetensors"])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("lstmc: error: /nonexistent-lstmc/x.safetensors: "))
  }

  @Test func corruptSafetensorsIsBadInput() throws {
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = folder.appendingPathComponent("good.safetensors")
    #expect(try CLIRunner.run(["convert", "Fixtures/keras/k2_basic.h5", "-o", good.path]).status == 0)
    let data = try Data(contentsOf: good)
    let truncated = folder.appendingPathComponent("truncated.safetensors")
    try data.prefix(data.count - 10).write(to: truncated)
    let result = try CLIRunner.run(["inspect", truncated.path])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("lstmc: error: \(truncated.path): "))
  }
}

/// Files that make libhdf5 1.10 itself crash (SIGSEGV) or loop forever: the
/// import runs in a child process, so lstmc still answers with one line.
@Suite struct HDF5FailureTests {
  @Test(arguments: [
    ("Fixtures/bad/hdf5_crash.h5", "crashed libhdf5"), ("Fixtures/bad/hdf5_hang.h5", "did not finish within 3 s"),
  ])
  func libhdf5FailureIsBadInput(file: String, message: String) throws {
    let result = try CLIRunner.run(["inspect", file], environment: ["LSTMC_IMPORT_TIMEOUT": "3"])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("lstmc: error: \(file): "), "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  /// A trap in lstmc's own code inside the child is reported as lstmc's, not blamed on libhdf5.
  @Test func trapInLstmcIsNotBlamedOnLibHDF5() throws {
    let file = "Fixtures/keras/k2_basic.h5"
    let result = try CLIRunner.run(["inspect", file], environment: ["LSTMC_IMPORT_TEST_TRAP": "1"])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("lstmc: error: \(file): "), "\(result.stderr)")
    #expect(result.stderr.contains("crashed lstmc's own Keras import code (signal 4)"), "\(result.stderr)")
    #expect(!result.stderr.contains("crashed libhdf5"), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
  }
}
