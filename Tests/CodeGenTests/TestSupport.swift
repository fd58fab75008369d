import CanonicalModel
import CodeGen
import Foundation
import KerasImport
import TestSupport

/// Paths in the repository, found from this file.
enum Repository {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let keras = root.appendingPathComponent("Fixtures/keras")
  static let generated = root.appendingPathComponent("Fixtures/Generated")

  /// A covering subset of ``manifest()`` (``TestSupport/ModelFeatures``): every layer architecture,
  /// every pair of consecutive layers and every input and output layout of the Keras fixtures occurs
  /// in one of them. Checks whose code differs from a fully tested one only in how it is compiled
  /// (sanitizers, fast math, the Cortex-M0) run these, to keep CI within its 25 minutes.
  static let coveringManifest: [(fixture: String, model: String)] = ModelFeatures.cover(
    ((try? manifest()) ?? []).compactMap { entry in
      guard let model = try? KerasFixture.model(entry.model), let features = try? ModelFeatures.of(model) else {
        return nil
      }
      return (item: entry, features: features)
    })

  /// `Fixtures/keras/manifest.json`'s entries: fixture and model file names.
  static func manifest() throws -> [(fixture: String, model: String)] {
    let data = try Data(contentsOf: keras.appendingPathComponent("manifest.json"))
    let entries = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    return entries.compactMap { entry in
      guard let fixture = entry["fixture"] as? String, let model = entry["model"] as? String else { return nil }
      return (fixture, model)
    }
  }
}

/// Loads Keras fixtures as models and C test cases.
enum KerasFixture {
  /// The model `name` from `Fixtures/keras/`, with its source file given relative to the repository
  /// (so that provenance comments are reproducible).
  static func model(_ name: String) throws -> Model {
    var model = try KerasImporter.importModel(at: Repository.keras.appendingPathComponent(name))
    model.source.file = "Fixtures/keras/\(name)"
    return model
  }

  /// A fixture file as a test case for `model` (inputs and outputs matched by name, else by position).
  static func testCase(_ name: String, for model: Model) throws -> CTestCase {
    let data = try Data(contentsOf: Repository.keras.appendingPathComponent(name))
    let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    func tensors(_ key: String, names: [String]) -> [Tensor] {
      let list = root[key] as? [[String: Any]] ?? []
      let byName = Dictionary(list.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
      let ordered =
        names.allSatisfy { byName[$0] != nil } && byName.count == list.count ? names.map { byName[$0]! } : list
      return ordered.map { entry in
        let shape = (entry["shape"] as? [NSNumber] ?? []).map(\.intValue)
        let values = (entry["data"] as? [NSNumber] ?? []).map { Float($0.doubleValue) }
        return Tensor(shape: shape, data: values)
      }
    }
    let tolerance = root["tolerance"] as? [String: Any]
    return CTestCase(
      name: name, inputs: tensors("inputs", names: model.inputs.map(\.name)),
      expected: tensors("outputs", names: model.outputs.map(\.name)),
      tolerance: (
        (tolerance?["abs"] as? NSNumber)?.doubleValue ?? 1e-5, (tolerance?["rel"] as? NSNumber)?.doubleValue ?? 1e-4
      ))
  }
}

/// A scratch folder removed when the value is released.
final class TemporaryFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-codegen-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Writes `files` into the folder.
  func write(_ files: [GeneratedFile]) throws {
    for file in files {
      try Data(file.contents.utf8).write(to: url.appendingPathComponent(file.name))
    }
  }
}

/// The result of running a program.
struct ProcessResult {
  var status: Int32
  var output: String
  var error: String
}

/// Runs host tools.
enum Host {
  /// The strict warning flags every generated file must compile cleanly with.
  static let strictFlags = [
    "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Wconversion", "-Wshadow", "-Wdouble-promotion", "-Werror",
  ]

  /// clang from the Swift toolchain, if present.
  static var clang: String? {
    let candidates = ["/opt/swift/usr/bin/clang", "/usr/bin/clang"]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Runs `executable` with `arguments` in `folder`.
  @discardableResult
  static func run(_ executable: String, _ arguments: [String], in folder: URL? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    if let folder { process.currentDirectoryURL = folder }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Read both pipes before waiting, so a chatty program cannot block on a full pipe.
    let errorData = DataBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errorData.data = error.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(
      status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
      error: String(decoding: errorData.data, as: UTF8.self))
  }

  /// Compiles C files in `folder` into `program` with `compiler` and `flags`; returns the
  /// compiler's result.
  static func compile(
    _ sources: [String], into program: String, in folder: URL, compiler: String = "cc", flags: [String] = []
  ) throws -> ProcessResult {
    try run(compiler, strictFlags + flags + sources + ["-o", program, "-lm"], in: folder)
  }
}

/// Bytes filled in by one thread and read by another after it finished.
private final class DataBox: @unchecked Sendable {
  var data = Data()
}
