import Foundation
import Testing

/// `inspect`, `convert`, `run` and `verify` on ONNX models.
@Suite struct ONNXCommandTests {
  static let model = "Fixtures/onnx/h_seqlens_bidi.onnx"
  static let fixture = "Fixtures/onnx/h_seqlens_bidi.fixture.json"

  /// Every help text that describes model files names ONNX beside Keras and .safetensors.
  @Test(arguments: [
    [], ["inspect"], ["convert"], ["run"], ["verify"], ["generate", "c"], ["generate", "swift"], ["bench"],
  ])
  func helpNamesONNX(command: [String]) throws {
    let result = try CLIRunner.run(["help"] + command)
    #expect(result.status == 0, "\(result.stderr)")
    let text = result.stdout.replacingOccurrences(of: "\n", with: " ")
    #expect(text.contains("ONNX") && text.contains(".onnx"), "lstmc help \(command): \(result.stdout)")
    #expect(text.contains("Keras") && text.contains(".safetensors"), "lstmc help \(command): \(result.stdout)")
  }

  @Test func verifyAnONNXModel() throws {
    let result = try CLIRunner.run(["verify", Self.model, "--fixture", Self.fixture])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("Y_h") && result.stdout.contains("PASS"))
  }

  @Test func inspectRunAndConvertThenVerify() throws {
    let inspect = try CLIRunner.run(["inspect", Self.model])
    #expect(inspect.status == 0 && inspect.stdout.contains("Bidirectional"), "\(inspect.stderr)")
    let run = try CLIRunner.run(["run", Self.model, "--input", Self.fixture])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("Y [8, 2, 3, 4]"), "outputs are printed in the file's layout")
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("seqlens.safetensors").path
    let convert = try CLIRunner.run(["convert", Self.model, "-o", output])
    #expect(convert.status == 0, "\(convert.stderr)")
    let verify = try CLIRunner.run(["verify", output, "--fixture", Self.fixture])
    #expect(verify.status == 0 && verify.stdout.contains("PASS"), "\(verify.stdout)\(verify.stderr)")
  }

  @Test(arguments: [
    "truncated.onnx", "not_onnx.onnx", "missing_initializer.onnx", "initializer_mismatch.onnx", "unsupported_op.onnx",
    "unsupported_attribute.onnx", "unsupported_direction.onnx", "external_escape.onnx", "tf2onnx_masked_loop.onnx",
    "tf2onnx_gru_reset_before_loop.onnx", "torch_grucell_loop.onnx",
  ])
  func badONNXIsOneLineAndExitTwo(name: String) throws {
    let path = "Fixtures/bad/onnx/\(name)"
    let result = try CLIRunner.run(["inspect", path])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("lstmc: error: \(path): "), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  /// A GRU node imports as a GRU: `inspect` shows its reset mode, `verify` passes on the ONNX Runtime fixture.
  @Test func inspectAndVerifyAGRU() throws {
    let inspect = try CLIRunner.run(["inspect", "Fixtures/onnx/h_gru_seqlens_bidi.onnx"])
    #expect(inspect.status == 0 && inspect.stdout.contains("GRU"), "\(inspect.stdout)\(inspect.stderr)")
    let verify = try CLIRunner.run([
      "verify", "Fixtures/onnx/h_gru_seqlens_bidi.onnx", "--fixture", "Fixtures/onnx/h_gru_seqlens_bidi.fixture.json",
    ])
    #expect(verify.status == 0 && verify.stdout.contains("PASS"), "\(verify.stdout)\(verify.stderr)")
  }

  @Test func onnxWithoutTheExtensionIsRecognised() throws {
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let copy = folder.appendingPathComponent("model.bin")
    try FileManager.default.copyItem(
      at: CLIRunner.root.appendingPathComponent(Self.model), to: copy)
    let result = try CLIRunner.run(["verify", copy.path, "--fixture", Self.fixture])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }

  @Test func mismatchedFixtureIsAnInputError() throws {
    let result = try CLIRunner.run([
      "verify", "Fixtures/onnx/h_fwd_op14.onnx", "--fixture", "Fixtures/bad/onnx/mismatched.fixture.json",
    ])
    #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
  }
}

@Suite struct ONNXTestDataSetCommandTests {
  @Test func verifyAcceptsATestDataSetFolder() throws {
    let result = try CLIRunner.run([
      "verify", "Fixtures/onnx/h_seqlens_bidi/model.onnx", "--fixture",
      "Fixtures/onnx/h_seqlens_bidi/test_data_set_0",
    ])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("PASS"))
  }
}

@Suite struct ONNXGenerateCommandTests {
  /// A time-first ONNX model generates; the header says how the source file lays out each buffer and
  /// the test program, built from the ONNX fixture, passes.
  @Test func theCGeneratorDocumentsONNXLayouts() throws {
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CLIRunner.run([
      "generate", "c", "Fixtures/onnx/h_combo_bidi.onnx", "--fixture", "Fixtures/onnx/h_combo_bidi.fixture.json",
      "-o", folder.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let header = try String(contentsOf: folder.appendingPathComponent("model.h"), encoding: .utf8)
    #expect(header.contains("(the source file lays it out as [time, batch, 3]"))
    #expect(header.contains("the source file lays it out as [time, 2 directions, batch, 4]"))
    #expect(header.contains("const float *initial_h0, const float *initial_c0, float *out0"))
    #expect(header.contains("#define MODEL_INITIAL_H0_SIZE 8"))
    #expect(header.contains("run each sample with steps = its length"))
  }
}

@Suite struct ONNXCTargetTests {
  /// A batch-first PyTorch export maps onto the same chain as a Keras model, so generated C runs it.
  @Test(arguments: ["torch_l1_bf_last", "tf2onnx_stacked", "torch_embed_bf_last", "tf2onnx_embedding"])
  func batchFirstExportsVerifyAsGeneratedC(stem: String) throws {
    let result = try CLIRunner.run([
      "verify", "Fixtures/onnx/\(stem).onnx", "--fixture", "Fixtures/onnx/\(stem).fixture.json", "--target", "c",
    ])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }
}

@Suite struct TorchStackedStateCommandTests {
  @Test func inspectShowsSharedStatesAndConcatenatedOutputs() throws {
    let result = try CLIRunner.run(["inspect", "Fixtures/onnx/torch_l2_bf_last_h0.onnx"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("input  h0: float32 [batch, 10] (initial_h.0,1); in the file [2, ?, 5]"))
    #expect(
      result.stdout.contains("output h_n: /lstm/LSTM.h.all + /lstm/LSTM_1.h.all [batch, 10]; in the file [2, ?, 5]"),
      "\(result.stdout)")
  }

  @Test func bidirectionalLastStepVerifiesOnTheInterpreterAndAsGeneratedC() throws {
    for target in ["interpreter", "c"] {
      let verify = try CLIRunner.run([
        "verify", "Fixtures/onnx/torch_bidi_bf_last.onnx", "--fixture",
        "Fixtures/onnx/torch_bidi_bf_last.fixture.json", "--target", target,
      ])
      #expect(verify.status == 0, "\(target): \(verify.stdout)\(verify.stderr)")
    }
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CLIRunner.run(["generate", "c", "Fixtures/onnx/torch_l2_bf_last_h0.onnx", "-o", folder.path])
    #expect(result.status == 0, "\(result.stderr)")
    let header = try String(contentsOf: folder.appendingPathComponent("model.h"), encoding: .utf8)
    #expect(header.contains("const float *initial_h0_1, const float *initial_c0_1, float *out0"))
    #expect(header.contains("#define MODEL_INITIAL_H0_1_SIZE 10"))
  }
}
