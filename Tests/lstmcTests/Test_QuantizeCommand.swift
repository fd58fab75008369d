import Foundation
import Testing

/// `lstmc quantize` and what every other command does with a quantized model.
@Suite struct QuantizeCommandTests {
  static let model = "Fixtures/keras/k2_go_backwards.h5"
  static let fixture = "Fixtures/keras/k2_go_backwards.fixture.json"

  /// Quantizes `model` into a fresh folder; returns the folder and the file.
  static func quantize(_ extra: [String] = [], model: String = model, data: String = fixture) throws -> (
    folder: URL, file: String, result: CLIRunner.Result
  ) {
    let folder = try CLIRunner.temporaryFolder()
    let file = folder.appendingPathComponent("q.safetensors").path
    let result = try CLIRunner.run(["quantize", model, "--calibrate", data, "-o", file] + extra)
    return (folder, file, result)
  }

  @Test func quantizeReportsRangesAndErrorAndWritesAModelEveryCommandAccepts() throws {
    let (folder, file, result) = try Self.quantize()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("int8x8_16, per_channel weights"))
    #expect(result.stdout.contains("cell Q2.13"))
    #expect(result.stdout.contains("SNR"))
    #expect(result.stdout.contains("argmax agreement 100.0 %"))

    let inspect = try CLIRunner.run(["inspect", file])
    #expect(inspect.status == 0 && inspect.stdout.contains("quantized: int8x8_16"), "\(inspect.stderr)")

    // convert round-trips the quantized file bit for bit.
    let copy = folder.appendingPathComponent("copy.safetensors").path
    #expect(try CLIRunner.run(["convert", file, "-o", copy]).status == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == Data(contentsOf: URL(fileURLWithPath: file)))

    // verify uses the integer reference and the quantized default tolerance (abs 0.05, rel 0.05) ...
    let verify = try CLIRunner.run(["verify", file, "--fixture", Self.fixture])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    #expect(verify.stdout.contains("tolerance abs 0.05 rel 0.05"))
    // ... and reports the quantized model's error statistics, in text and JSON.
    #expect(verify.stdout.contains("RMS") && verify.stdout.contains("SNR"), "\(verify.stdout)")
    let json = try CLIRunner.run(["verify", file, "--fixture", Self.fixture, "--json"])
    #expect(json.status == 0)
    let outputs = try Self.verifyOutputs(json.stdout)
    #expect(outputs.count == 2)
    for output in outputs {
      #expect((output["rms"] as? Double ?? 1) < 0.01, "\(output)")
      #expect((output["snr_db"] as? Double ?? 0) > 30, "\(output)")
    }
    #expect(outputs.last?["argmax_agreement"] as? Double == 1, "\(outputs)")
    #expect(outputs.first?["argmax_agreement"] == nil, "a sequence output has no argmax agreement")
    // A float model's report has none of them.
    let floatReport = try CLIRunner.run(["verify", Self.model, "--fixture", Self.fixture, "--json"])
    #expect(try Self.verifyOutputs(floatReport.stdout).allSatisfy { $0["rms"] == nil && $0["snr_db"] == nil })
    #expect(!floatReport.stdout.contains("argmax_agreement"))
    // ... and the integer model is not the float model: exact agreement fails.
    let exact = try CLIRunner.run(["verify", file, "--fixture", Self.fixture, "--abs", "0", "--rel", "0"])
    #expect(exact.status == 1, "\(exact.stdout)")

    let run = try CLIRunner.run(["run", file, "--input", Self.fixture, "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    let float = try CLIRunner.run(["run", Self.model, "--input", Self.fixture, "--json"])
    #expect(run.stdout != float.stdout, "run on the quantized model must use the integer reference")
  }

  /// The `outputs` of every report in `verify --json`'s output.
  static func verifyOutputs(_ stdout: String) throws -> [[String: Any]] {
    let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    let reports = (object as? [String: Any])?["reports"] as? [[String: Any]] ?? []
    return reports.flatMap { $0["outputs"] as? [[String: Any]] ?? [] }
  }

  @Test func jsonGivesTheMeasurements() throws {
    let (folder, _, result) = try Self.quantize(["--json", "--per-tensor"])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["granularity"] as? String == "per_tensor")
    #expect(object["scheme"] as? String == "int8x8_16")
    let errors = try #require(object["error"] as? [[String: Any]])
    #expect(errors.count == 2)
    for error in errors {
      #expect((error["max_abs"] as? Double ?? 1) < 0.05)
      #expect((error["snr_db"] as? Double ?? 0) > 25)
    }
    #expect(errors.last?["argmax_agreement"] as? Double == 1)
    let layers = try #require(object["layers"] as? [[String: Any]])
    #expect(layers.count == 3)
    let bytes = try #require(object["bytes"] as? [String: Int])
    #expect(bytes["integer"]! < bytes["float"]!)
  }

  /// int16x8_16 on a Keras LSTM: issue 12's bar of 40 dB on every output, and every command accepts it.
  @Test func int16SchemeReachesFortyDecibels() throws {
    let (folder, file, result) = try Self.quantize(["--scheme", "int16x8_16", "--json"])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["scheme"] as? String == "int16x8_16")
    let errors = try #require(object["error"] as? [[String: Any]])
    for error in errors { #expect((error["snr_db"] as? Double ?? 0) >= 40, "\(error)") }
    let layers = try #require(object["layers"] as? [[String: Any]])
    #expect(layers.allSatisfy { $0["zeroPoint"] as? Int == 0 }, "\(layers)")
    let inspect = try CLIRunner.run(["inspect", file])
    #expect(inspect.stdout.contains("quantized: int16x8_16"), "\(inspect.stdout)")
    let verify = try CLIRunner.run(["verify", file, "--fixture", Self.fixture])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    // Integer Swift renders int16x8_16 (compiled and run bit-exact by IntegerSwiftTargetsTests).
    let swift = try CLIRunner.run(["generate", "swift", file, "-o", folder.appendingPathComponent("swift").path])
    #expect(swift.status == 0, "\(swift.stderr)")
    let swiftSource = try String(contentsOf: folder.appendingPathComponent("swift/model.swift"), encoding: .utf8)
    #expect(swiftSource.contains("private typealias model_act = Int16"))
    #expect(swiftSource.contains("model_multiply_wide("))
  }

  /// Keras 2 and Keras 3 GRU encoders with a Bidirectional GRU and its states, and a PyTorch Embedding model, quantize, and verify passes on them.
  @Test(arguments: [
    ("Fixtures/keras/k2_gru_state.h5", "Fixtures/keras/k2_gru_state.fixture.json", "int8x8_16"),
    ("Fixtures/keras/k3_gru_state.keras", "Fixtures/keras/k3_gru_state.fixture.json", "int16x8_16"),
    ("Fixtures/onnx/torch_embed_seq_last.onnx", "Fixtures/onnx/torch_embed_seq_last.fixture.json", "int8x8_16"),
  ])
  func quantizesAGRUOrAnEmbedding(model: String, data: String, scheme: String) throws {
    let (folder, file, result) = try Self.quantize(["--scheme", scheme], model: model, data: data)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("\(scheme), per_channel weights"), "\(result.stdout)")
    let verify = try CLIRunner.run(["verify", file, "--fixture", data])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }

  @Test func calibratesFromAnONNXTestDataSet() throws {
    let (folder, file, result) = try Self.quantize(
      model: "Fixtures/onnx/tf2onnx_basic/model.onnx", data: "Fixtures/onnx/tf2onnx_basic/test_data_set_0")
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("calibrated on 3 sequences"))
    let verify = try CLIRunner.run(["verify", file, "--fixture", "Fixtures/onnx/tf2onnx_basic/test_data_set_0"])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }

  @Test func generateCAndSwiftWriteIntegerCode() throws {
    let (folder, file, result) = try Self.quantize()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 0, "\(result.stderr)")
    let c = try CLIRunner.run([
      "generate", "c", file, "-o", folder.appendingPathComponent("c").path, "--fixture", Self.fixture,
    ])
    #expect(c.status == 0, "\(c.stderr)")
    // The test program judges the float fixture with the quantized tolerance, as verify does.
    let compile = Process()
    compile.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    compile.arguments = ["cc", "-std=c99", "-O1", "model.c", "model_test.c", "-lm", "-o", "model_test"]
    compile.currentDirectoryURL = folder.appendingPathComponent("c")
    try compile.run()
    compile.waitUntilExit()
    #expect(compile.terminationStatus == 0)
    let test = Process()
    test.executableURL = folder.appendingPathComponent("c/model_test")
    test.standardOutput = FileHandle.nullDevice
    try test.run()
    test.waitUntilExit()
    #expect(test.terminationStatus == 0)
    let source = try String(contentsOf: folder.appendingPathComponent("c/model.c"), encoding: .utf8)
    #expect(source.contains("static const int8_t model_l0_bwd_input_W_weights["))
    #expect(source.contains("model_predict_q("))
    // Swift renders the same integer lowering (compiled and run by IntegerSwiftTargetsTests).
    let swift = try CLIRunner.run(["generate", "swift", file, "-o", folder.appendingPathComponent("swift").path])
    #expect(swift.status == 0, "\(swift.stderr)")
    let swiftSource = try String(contentsOf: folder.appendingPathComponent("swift/model.swift"), encoding: .utf8)
    #expect(swiftSource.contains("private let model_l0_bwd_input_W_weights_0: InlineArray<"))
    #expect(swiftSource.contains("public mutating func predictQ("))
  }

  @Test func refusalsAreOneLineExitTwo() throws {
    let cases: [([String], String)] = [
      (
        ["Fixtures/keras/k2_bidi_pair_a.h5", "--calibrate", "Fixtures/keras/k2_bidi_pair_a.fixture.json"],
        "layer 'bidirectional_1': Bidirectional merge mode sum has no integer form yet"
      ),
      (
        ["Fixtures/keras/k2_embedding_mask.h5", "--calibrate", "Fixtures/keras/k2_embedding_mask.fixture.json"],
        "layer 'embedding': Embedding mask_zero (masking) has no integer form yet"
      ),
      (
        ["Fixtures/keras/k2_gru_masking.h5", "--calibrate", "Fixtures/keras/k2_gru_masking.fixture.json"],
        "masking has no integer form yet"
      ),
      ([Self.model, "--calibrate", "Fixtures/keras/k2_basic.fixture.json"], "Fixtures/keras/k2_basic.fixture.json:"),
      ([Self.model, "--calibrate", "no-such-file.json"], "no-such-file.json:"),
    ]
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("out.safetensors").path
    for (arguments, message) in cases {
      let result = try CLIRunner.run(["quantize"] + arguments + ["-o", output])
      #expect(result.status == 2, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: output))
    }
    let usage = try CLIRunner.run(["quantize", Self.model, "-o", output])
    #expect(usage.status == 64)
  }
}

/// Calibration from NumPy arrays.
@Suite struct QuantizeNumPyTests {
  /// `[batch, time, features]` float32 values as `numpy.save` writes them.
  static func npy(shape: [Int], values: [Float]) -> Data {
    var header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", ")),), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var data = Data(
      [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
    data.append(contentsOf: Array(header.utf8))
    for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    return data
  }

  @Test func calibratesFromNPYAndRefusesAWrongShape() throws {
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // k2_go_backwards takes [batch, 8, 4].
    let values: [Float] = (0..<160).map { (index: Int) -> Float in Float((index * 37) % 17 - 8) / 4 }
    let good = folder.appendingPathComponent("calibration.npy")
    try Self.npy(shape: [5, 8, 4], values: values).write(to: good)
    let output = folder.appendingPathComponent("q.safetensors").path
    let result = try CLIRunner.run(
      ["quantize", QuantizeCommandTests.model, "--calibrate", good.path, QuantizeCommandTests.fixture, "-o", output])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("calibrated on 8 sequences"), "\(result.stdout)")

    let wrong = folder.appendingPathComponent("wrong.npy")
    try Self.npy(shape: [5, 8, 3], values: Array(values.prefix(120))).write(to: wrong)
    let refused = try CLIRunner.run([
      "quantize", QuantizeCommandTests.model, "--calibrate", wrong.path, "-o", output + "2",
    ])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("the array has shape [5, 8, 3]"), "\(refused.stderr)")
  }
}
