import FixtureFormat
import Foundation
import KerasImport
import TestSupport

/// Locates the repository's `Fixtures/` folder from this source file.
enum FixtureFiles {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let fixtures = root.appendingPathComponent("Fixtures")
  static let keras = fixtures.appendingPathComponent("keras")
  static let bad = fixtures.appendingPathComponent("bad")

  /// Every `*.fixture.json` in `Fixtures/keras/`, sorted.
  static func kerasFixtures() -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: keras.path)) ?? []
    return names.filter { $0.hasSuffix(".fixture.json") }.sorted().map { keras.appendingPathComponent($0) }
  }

  /// A covering subset of the Keras fixtures (``TestSupport/ModelFeatures``): every layer
  /// architecture, every pair of consecutive layers and every input and output layout of every
  /// Keras fixture occurs in one of them. The slow targets whose code differs from a fully tested
  /// one only in how it is compiled (Embedded Swift beside host Swift, fast math and the M3's soft
  /// float beside the M4F's exact math) run these instead of all fixtures, to keep CI within budget.
  static let kerasCover: [URL] = ModelFeatures.cover(
    kerasFixtures().compactMap { url in
      guard let fixture = try? Fixture(contentsOf: url), let modelURL = fixture.modelURL,
        let model = try? KerasImporter.importModel(at: modelURL), let features = try? ModelFeatures.of(model)
      else { return nil }
      return (url, features)
    })
}
