import Foundation

/// Locates the repository's `Fixtures/` folder from this source file.
enum FixtureFiles {
  /// `<repo>/Fixtures`.
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // KerasImportTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // repo
    .appendingPathComponent("Fixtures")

  /// A model file in `Fixtures/keras/`.
  static func keras(_ name: String) -> URL { root.appendingPathComponent("keras").appendingPathComponent(name) }

  /// A file in `Fixtures/bad/`.
  static func bad(_ name: String) -> URL { root.appendingPathComponent("bad").appendingPathComponent(name) }

  /// One entry of `Fixtures/keras/manifest.json`.
  struct ManifestEntry: Decodable, Sendable, CustomStringConvertible {
    var fixture: String
    var model: String
    var keras: String
    var format: String
    var api: String
    var covers: [String]
    var description: String { "\(model) (\(fixture))" }
  }

  /// A fixture's named tensors (values are not needed here).
  struct Fixture: Decodable, Sendable {
    struct Named: Decodable, Sendable {
      var name: String
      var dtype: String
      var shape: [Int]
      var data: [Double]
    }
    struct Tolerance: Decodable, Sendable {
      var abs: Double
      var rel: Double
    }
    struct Producer: Decodable, Sendable {
      var framework: String
      var version: String
    }
    var model: String
    var producer: Producer
    var tolerance: Tolerance
    var inputs: [Named]
    var outputs: [Named]
  }

  /// The manifest's entries; empty when the fixtures have not been generated.
  static func manifest() -> [ManifestEntry] {
    guard let data = try? Data(contentsOf: keras("manifest.json")) else { return [] }
    return (try? JSONDecoder().decode([ManifestEntry].self, from: data)) ?? []
  }

  /// A fixture file from `Fixtures/keras/`.
  static func fixture(_ name: String) throws -> Fixture {
    try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: keras(name)))
  }
}
