import CanonicalModel
import CodeGen
import Foundation

/// The built `lstmc` executable: the interpreter's results for hand-built models come from
/// `lstmc run --json` (this test target does not link the interpreter).
enum LSTMCBinary {
  static var url: URL {
    var candidates: [URL] = []
    if let bundle = Bundle.main.executableURL { candidates.append(bundle.deletingLastPathComponent()) }
    candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
    for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
    candidates.append(Repository.root.appendingPathComponent(".build/debug"))
    for folder in candidates {
      let url = folder.appendingPathComponent("lstmc")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return Repository.root.appendingPathComponent(".build/debug/lstmc")
  }

  /// Runs `lstmc` with `arguments` in `folder`.
  static func run(_ arguments: [String], in folder: URL? = nil) throws -> ProcessResult {
    try Host.run(url.path, arguments, in: folder ?? Repository.root)
  }

  /// The interpreter's outputs for `inputs`, through `lstmc run` on a `.safetensors` copy of `model`.
  static func interpret(_ model: Model, inputs: [Tensor], in folder: URL) throws -> [Tensor] {
    let modelURL = folder.appendingPathComponent("reference.safetensors")
    try ModelArchive.write(model, to: modelURL)
    func tensor(_ name: String, _ dtype: String, _ value: Tensor) -> [String: Any] {
      ["name": name, "dtype": dtype, "shape": value.shape, "data": value.data.map { Double($0) }]
    }
    let fixture: [String: Any] = [
      "format": "lstmc-fixture-1", "producer": ["framework": "none", "version": "0"],
      "inputs": zip(model.inputs, inputs).map {
        tensor($0.name, $0.elementType == .int32 ? "int32" : "float32", $1)
      },
      "outputs": [tensor("unused", "float32", Tensor(shape: [1], data: [0]))],
    ]
    let fixtureURL = folder.appendingPathComponent("reference.fixture.json")
    try JSONSerialization.data(withJSONObject: fixture).write(to: fixtureURL)
    let result = try run(["run", modelURL.path, "--input", fixtureURL.path, "--json"])
    guard result.status == 0 else { throw Failure("lstmc run failed (\(result.status)): \(result.error)") }
    let root = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
    let outputs = root?["outputs"] as? [[String: Any]] ?? []
    return outputs.map { output in
      Tensor(
        shape: (output["shape"] as? [NSNumber] ?? []).map(\.intValue),
        data: (output["data"] as? [NSNumber] ?? []).map(\.floatValue))
    }
  }
}

/// A test failure with a message.
struct Failure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
