import Foundation
import Testing

/// `--bind NAME=FILE` on the commands that import a model, `verify`'s binding from the fixture, and the
/// bad bindings (one line, exit 2, nothing written).
@Suite struct BindCommandTests {
  static let backend = "Fixtures/onnx/backend"
  static let model = "\(backend)/test_lstm_defaults/model.onnx"
  static let dataSet = "\(backend)/test_lstm_defaults/test_data_set_0"

  /// A `.npy` (version 1.0, C order) of `descr` (`<f4` or `<i4`) holding `words` as 32-bit little-endian values.
  static func npy(shape: [Int], descr: String, words: [UInt32]) -> Data {
    let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(dims)), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    data.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
    data.append(contentsOf: Array(header.utf8))
    for word in words { data.append(contentsOf: withUnsafeBytes(of: word.littleEndian, Array.init)) }
    return data
  }

  /// test_lstm_defaults' W: 0.1 everywhere, [1, 12, 2], as float32 (`scale` 1) or scaled.
  static func wNpy(in folder: URL, scale: Float = 1, name: String = "W.npy") throws -> String {
    let url = folder.appendingPathComponent(name)
    try npy(shape: [1, 12, 2], descr: "<f4", words: Array(repeating: (Float(0.1) * scale).bitPattern, count: 24))
      .write(to: url)
    return url.path
  }

  static func expectOneLineError(_ result: CLIRunner.Result, file: String, containing: String) {
    #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.hasPrefix("lstmc: error: \(file): "), "\(result.stderr)")
    #expect(result.stderr.contains(containing), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
  }

  /// verify binds W and R from the test-data folder and says so, in text and in JSON.
  @Test func verifyBindsFromTheFixtureAndSaysSo() throws {
    let text = try CLIRunner.run(["verify", Self.model, "--fixture", Self.dataSet, "--abs", "1e-7", "--rel", "1e-3"])
    #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
    #expect(text.stdout.contains("bound from the fixture as constants: W, R"), "\(text.stdout)")
    let json = try CLIRunner.run(["verify", Self.model, "--fixture", Self.dataSet, "--json"])
    #expect(json.status == 0, "\(json.stdout)\(json.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let reports = object?["reports"] as? [[String: Any]]
    #expect(reports?.first?["bound"] as? [String] == ["W", "R"])
  }

  /// Without --bind, a command names the input and how to bind it.
  @Test func withoutBindTheErrorSaysHowToBind() throws {
    let result = try CLIRunner.run(["inspect", Self.model])
    Self.expectOneLineError(
      result, file: Self.model, containing: "W is graph input 'W', not a constant; bind it with --bind W=FILE")
  }

  /// The same weights from a .npy, a TensorProto .pb, a test-data folder and an lstmc fixture: the model
  /// verifies against ONNX's data (the explicit bindings win, so nothing is bound from the fixture), and a
  /// wrong .npy value makes verification fail with exit 1.
  @Test func everyBindingFileKindWorks() throws {
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let w = try Self.wNpy(in: folder)
    let r = "\(Self.dataSet)/input_2.pb"
    let verify = try CLIRunner.run([
      "verify", Self.model, "--fixture", Self.dataSet, "--bind", "W=\(w)", "--bind", "R=\(r)",
    ])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    #expect(!verify.stdout.contains("bound from the fixture"), "\(verify.stdout)")
    let wrong = try CLIRunner.run([
      "verify", Self.model, "--fixture", Self.dataSet, "--bind",
      "W=\(try Self.wNpy(in: folder, scale: 2, name: "W2.npy"))",
    ])
    #expect(wrong.status == 1, "\(wrong.stdout)\(wrong.stderr)")
    #expect(wrong.stdout.contains("bound from the fixture as constants: R"), "\(wrong.stdout)")

    let fixture = folder.appendingPathComponent("weights.fixture.json")
    let weights = """
      {"format": "lstmc-fixture-1", "producer": {"framework": "test", "version": "1"},
       "inputs": [{"name": "W", "dtype": "float32", "shape": [1, 12, 2], "data": [\(Array(repeating: "0.1", count: 24).joined(separator: ","))]}],
       "outputs": [{"name": "unused", "dtype": "float32", "shape": [1], "data": [0]}]}
      """
    try weights.write(to: fixture, atomically: true, encoding: .utf8)
    let run = try CLIRunner.run([
      "run", Self.model, "--input", Self.dataSet, "--bind", "W=\(fixture.path)", "--bind", "R=\(Self.dataSet)",
    ])
    #expect(run.status == 0 && run.stdout.contains("Y_h [1, 3, 3]"), "\(run.stdout)\(run.stderr)")
    let npyRun = try CLIRunner.run(["run", Self.model, "--input", Self.dataSet, "--bind", "W=\(w)", "--bind", "R=\(r)"])
    #expect(npyRun.stdout == run.stdout, "the same values from every kind of file")
  }

  /// convert, generate c and generate swift (with the test-data folder as the test program's fixture) and
  /// bench all take --bind.
  @Test func convertGenerateAndBenchTakeBind() throws {
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let bind = ["--bind", "W=\(Self.dataSet)", "--bind", "R=\(Self.dataSet)"]
    let output = folder.appendingPathComponent("m.safetensors").path
    let convert = try CLIRunner.run(["convert", Self.model, "-o", output] + bind)
    #expect(convert.status == 0, "\(convert.stderr)")
    let inspect = try CLIRunner.run(["inspect", output])
    #expect(inspect.status == 0 && inspect.stdout.contains("LSTM"), "\(inspect.stdout)\(inspect.stderr)")
    for language in ["c", "swift"] {
      let generated = try CLIRunner.run(
        [
          "generate", language, Self.model, "-o", folder.appendingPathComponent(language).path, "--fixture",
          Self.dataSet,
        ]
          + bind)
      #expect(generated.status == 0, "\(generated.stderr)")
    }
    let bench = try CLIRunner.run(
      ["bench", Self.model, "--steps", "20", "--runs", "1", "--no-instructions", "--json"] + bind)
    #expect(bench.status == 0, "\(bench.stderr)")
  }

  static let keras = "Fixtures/keras/k2_basic.h5"

  /// Bad bindings: one line naming the file at fault, exit 2, nothing written (`$TMP` is a scratch folder
  /// holding an int32 `INT.npy` and a text file `JUNK`).
  @Test(arguments: [
    (
      model, "W=\(dataSet)/input_2.pb", model,
      "does not fit it: it has shape [1, 12, 3], the input is declared [1, 12, 2]"
    ),
    (model, "W=$TMP/INT.npy", model, "does not fit it: it is int32, the input is declared float"),
    (model, "Q=\(dataSet)", model, "--bind names 'Q', which is not a graph input; graph inputs: X, W, R"),
    (model, "W=$TMP/JUNK", "$TMP/JUNK", "not a serialized onnx.TensorProto (.pb), a NumPy .npy"),
    (model, "W=\(model)", model, "not a serialized onnx.TensorProto"),
    (model, "W=/nonexistent/W.npy", "/nonexistent/W.npy", "no such file"),
    (keras, "W=\(dataSet)", keras, "--bind freezes ONNX graph inputs"),
  ])
  func badBindingsAreOneLineExitTwoAndWriteNothing(
    model: String, binding: String, reported: String, message: String
  ) throws {
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.npy(shape: [1, 12, 2], descr: "<i4", words: Array(repeating: 1, count: 24))
      .write(to: folder.appendingPathComponent("INT.npy"))
    try Data("hello, not a tensor\n".utf8).write(to: folder.appendingPathComponent("JUNK"))
    let binding = binding.replacingOccurrences(of: "$TMP", with: folder.path)
    let reported = reported.replacingOccurrences(of: "$TMP", with: folder.path)
    let output = folder.appendingPathComponent("out.safetensors")
    let convert = try CLIRunner.run(["convert", model, "-o", output.path, "--bind", binding])
    Self.expectOneLineError(convert, file: reported, containing: message)
    #expect(!FileManager.default.fileExists(atPath: output.path))
    let generated = folder.appendingPathComponent("generated")
    let generate = try CLIRunner.run(["generate", "c", model, "-o", generated.path, "--bind", binding])
    Self.expectOneLineError(generate, file: reported, containing: message)
    #expect(!FileManager.default.fileExists(atPath: generated.path))
  }

  /// A fixture that lacks the bound input names what it has.
  @Test func aFixtureWithoutTheInputIsNamed() throws {
    let fixture = "Fixtures/onnx/h_seqlens_bidi.fixture.json"
    let result = try CLIRunner.run(["inspect", Self.model, "--bind", "W=\(fixture)"])
    Self.expectOneLineError(result, file: fixture, containing: "the fixture has no input 'W'")
  }

  /// ONNX's RNN backend tests are refused in one line.
  @Test func anRNNIsRefused() throws {
    let model = "\(Self.backend)/test_simple_rnn_defaults/model.onnx"
    let result = try CLIRunner.run([
      "verify", model, "--fixture", "\(Self.backend)/test_simple_rnn_defaults/test_data_set_0",
    ])
    Self.expectOneLineError(result, file: model, containing: "is an RNN (ONNX's simple recurrent cell)")
  }

  @Test func malformedBindIsAUsageError() throws {
    let result = try CLIRunner.run(["inspect", Self.model, "--bind", "W"])
    #expect(result.status == 64, "\(result.stderr)")
  }
}
