import Foundation
import Testing

/// `lstmc generate c`, run as a user would.
@Suite struct Test_GenerateCommand {
  @Test func writesCompilableFilesAndReportsMemory() throws {
    let folder = try TemporaryFolder()
    let output = folder.url.appendingPathComponent("nested/out").path
    let result = try LSTMCBinary.run([
      "generate", "c", "Fixtures/keras/k2_state_seq.h5", "-o", output, "--name", "kws",
      "--fixture", "Fixtures/keras/k2_state_seq.fixture.json", "--math", "fast",
    ])
    #expect(result.status == 0, "\(result.error)")
    #expect(result.output.contains("wrote \(output)/kws.h"))
    #expect(result.output.contains("wrote \(output)/kws_test.c"))
    #expect(result.output.contains("memory: weights "))
    let header = try String(contentsOfFile: output + "/kws.h", encoding: .utf8)
    #expect(header.contains(" * Command: lstmc generate c Fixtures/keras/k2_state_seq.h5 -o \(output) --name kws"))
    #expect(header.contains(" * Source:  Fixtures/keras/k2_state_seq.h5 (keras2-h5, tf-keras 2.21.0)"))
    if CrossCompileTests.compiler != nil {
      // With arm-none-eabi-gcc installed, code size and stack are measured for a Cortex-M4F.
      #expect(header.contains("machine code of kws.c (arm-none-eabi-gcc -Os, Cortex-M4F)"))
      #expect(header.contains("kws_predict, worst call path"))
      #expect(header.contains("kws_step, worst call path"))
      #expect(result.output.contains("(predict)") && result.output.contains("(step)"))
      #expect(!result.output.contains("not measured"))
    }
    let out = URL(fileURLWithPath: output)
    let compiled = try Host.compile(["kws.c", "kws_test.c"], into: "program", in: out, flags: ["-O1"])
    try #require(compiled.status == 0, "\(compiled.error)")
    let run = try Host.run(out.appendingPathComponent("program").path, [], in: out)
    #expect(run.status == 0, "\(run.output)")
    #expect(run.output.contains("streaming PASS"))
  }

  /// `--target-core cortex-m4`: the row-block kernel, the layout named in the provenance comment, and
  /// (with arm-none-eabi-gcc) code beyond the weights within 3 KB on the M4F for a one-layer model.
  @Test func theCortexM4LayoutIsNamedAndSmall() throws {
    let folder = try TemporaryFolder()
    let result = try LSTMCBinary.run([
      "generate", "c", "Fixtures/bench/lstm_32x64.h5", "-o", folder.url.path, "--target-core", "cortex-m4",
      "--math", "fast",
    ])
    #expect(result.status == 0, "\(result.error)")
    let header = try String(contentsOf: folder.url.appendingPathComponent("model.h"), encoding: .utf8)
    let source = try String(contentsOf: folder.url.appendingPathComponent("model.c"), encoding: .utf8)
    #expect(header.contains(" * Layout:  cortex-m4: dot products over blocks of 8 gate rows"))
    #expect(header.contains(" * Math:    fast: the recurrent layers' sigmoid and tanh are lstmc's own"))
    #expect(source.contains("model_rows(z + 0, model_l0_fwd_bias + 0, model_l0_fwd_kernel + 0, 256, x, 32, h, 64);"))
    if CrossCompileTests.compiler != nil {
      let line = try #require(header.split(separator: "\n").first { $0.contains("machine code of model.c") })
      let bytes = try #require(line.split(separator: " ").compactMap { Int($0) }.first)
      #expect(bytes > 0 && bytes <= 3072, "code beyond the weights: \(bytes) bytes")
    }
  }

  @Test(arguments: [
    ["--name", "9x"], ["--name", "a-b"], ["--math", "slow"], ["--max-steps", "0"], ["--max-steps", "many"],
    ["--target-core", "cortex-m7"],
  ])
  func badOptionsAreUsageErrors(arguments: [String]) throws {
    let folder = try TemporaryFolder()
    let result = try LSTMCBinary.run(
      ["generate", "c", "Fixtures/keras/k2_basic.h5", "-o", folder.url.path] + arguments)
    #expect(result.status == 64, "\(result.error)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
  }

  @Test func badInputIsExitTwoNamingTheFile() throws {
    let folder = try TemporaryFolder()
    let out = folder.url.appendingPathComponent("out").path
    func run(_ arguments: [String]) throws -> (Int32, String) {
      let result = try LSTMCBinary.run(["generate", "c"] + arguments)
      return (result.status, result.error)
    }
    var (status, error) = try run(["Fixtures/keras/missing.h5", "-o", out])
    #expect(status == 2)
    #expect(error == "lstmc: error: Fixtures/keras/missing.h5: no such file\n")
    (status, error) = try run([
      "Fixtures/keras/k2_bidi_state.h5", "-o", out, "--fixture", "Fixtures/keras/k2_basic.fixture.json",
    ])
    #expect(status == 2)
    #expect(error.hasPrefix("lstmc: error: Fixtures/keras/k2_basic.fixture.json: "))
    (status, error) = try run([
      "Fixtures/keras/k2_bidi_state.h5", "-o", out, "--fixture", "Fixtures/keras/k2_bidi_state.fixture.json",
      "--max-steps", "4",
    ])
    #expect(status == 2)
    #expect(error.contains("k2_bidi_state.fixture.json: it has 10 steps, more than --max-steps 4"))
    (status, error) = try run(["Fixtures/keras/k2_basic.h5", "-o", out, "--templates", "/nonexistent"])
    #expect(status == 2)
    #expect(error.hasPrefix("lstmc: error: /nonexistent: the templates folder"))
    #expect(!FileManager.default.fileExists(atPath: out), "an error left output behind")

    // An output path that is a file.
    let file = folder.url.appendingPathComponent("file").path
    _ = FileManager.default.createFile(atPath: file, contents: Data())
    (status, error) = try run(["Fixtures/keras/k2_basic.h5", "-o", file])
    #expect(status == 2)
    #expect(error.contains("exists and is not a folder"))
  }

  @Test func generateWithoutALanguageIsAUsageError() throws {
    let result = try LSTMCBinary.run(["generate"])
    #expect(result.status == 64)
    #expect(result.error.contains("lstmc generate <subcommand>"))
  }
}
