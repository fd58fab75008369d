import Foundation

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
}
