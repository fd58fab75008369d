import Foundation
import Testing

/// The ONNX files that made lstmc trap before issue 14 (`Fixtures/bad/onnx/crash_*.onnx`, written by
/// `Fixtures/generate_onnx.py --update crashes`): each is now one line on stderr and exit code 2.
@Suite struct CrashRegressionTests {
  static let folder = CLIRunner.fixtures.appendingPathComponent("bad/onnx")

  /// What each file's one-line error must say: the node or field at fault.
  static let expected: [String: String] = [
    "crash_arity_add.onnx": "node 'bad_add': Add needs at least 2 input(s)",
    "crash_arity_cast.onnx": "node 'bad_cast': Cast needs at least 1 input(s)",
    "crash_arity_concat.onnx": "node 'bad_concat': Concat has no inputs",
    "crash_arity_gather.onnx": "node 'bad_gather': Gather needs at least 2 input(s)",
    "crash_arity_identity.onnx": "node 'bad_identity': Identity needs at least 1 input(s)",
    "crash_arity_reshape.onnx": "node 'bad_reshape': Reshape needs at least 2 input(s)",
    "crash_arity_shape.onnx": "node 'bad_shape': Shape needs at least 1 input(s)",
    "crash_arity_transpose.onnx": "node 'bad_transpose': Transpose needs at least 1 input(s)",
    "crash_attribute_type.onnx": "no LSTM or GRU reads the graph input 'X'",
    "crash_cast_inf.onnx": "node 'cast': Cast of constant 'c' to int64: its value inf has no integer value",
    "crash_cast_nan.onnx": "node 'cast': Cast of constant 'c' to int64: its value nan has no integer value",
    "crash_cast_to_range.onnx": "node 'cast': to 4294967297 is not supported",
    "crash_external_offset.onnx": "tensor 'W': external data of 192 bytes at offset 9223372036854775807 lies beyond",
    "crash_int_bias.onnx": "node 'lstm': B 'B' has element type int64",
    "crash_int_weights.onnx": "node 'lstm': W 'W' has element type int32",
    "crash_mul_overflow.onnx": "no LSTM or GRU reads the graph input 'X'",
    "crash_reduceprod_overflow.onnx": "no LSTM or GRU reads the graph input 'X'",
    "crash_slice_state_extent.onnx": "no LSTM or GRU reads the graph input 'X'",
    "crash_squeeze_axis.onnx": "node 'squeeze': Squeeze axis 7 is outside a rank-3 tensor's axes",
    "crash_unsqueeze_axis.onnx": "node 'unsqueeze': Unsqueeze axis 9 is outside a rank-4 tensor's axes",
  ]

  static var filesOnDisk: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
      .filter { $0.hasPrefix("crash_") }.sorted()
  }

  @Test func everyRegressionFileIsListedInTheManifestAndHere() throws {
    let manifest = try JSONSerialization.jsonObject(
      with: Data(contentsOf: Self.folder.appendingPathComponent("manifest.json")))
    let listed = ((manifest as? [[String: Any]]) ?? []).compactMap { $0["file"] as? String }.filter {
      $0.hasPrefix("crash_")
    }
    #expect(!Self.filesOnDisk.isEmpty)
    #expect(listed.sorted() == Self.filesOnDisk)
    #expect(Self.expected.keys.sorted() == Self.filesOnDisk)
  }

  @Test(arguments: CrashRegressionTests.filesOnDisk)
  func regressionFileIsOneLineAndExitTwo(file: String) throws {
    let path = "Fixtures/bad/onnx/\(file)"
    let result = try CLIRunner.run(["inspect", path])
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(result.stderr.hasPrefix("lstmc: error: \(path): "), "\(result.stderr)")
    #expect(result.stderr.contains(Self.expected[file] ?? "?"), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }
}
