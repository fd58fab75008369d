import FixtureFormat
import Foundation
import KerasImport
import TestSupport
import Testing

/// The fixture set must exercise every feature of the Keras importer in both
/// Keras major versions, so a feature cannot silently lose its evidence.
@Suite struct FixtureCoverageTests {
  struct Entry: Decodable {
    var fixture: String
    var model: String
    var keras: String
    var format: String
    var covers: [String]
  }

  static let entries: [Entry] = {
    let url = FixtureFiles.keras.appendingPathComponent("manifest.json")
    guard let data = try? Data(contentsOf: url) else { return [] }
    return (try? JSONDecoder().decode([Entry].self, from: data)) ?? []
  }()

  static let required = [
    "lstm", "return_sequences", "return_state", "go_backwards", "stateful", "lstm_use_bias:false", "lstm_dropout",
    "unroll", "bidirectional:concat", "bidirectional:sum", "bidirectional:mul", "bidirectional:ave", "dense",
    "time_distributed", "dropout", "embedding:mask_zero", "embedding:no_mask", "masking", "sequential", "functional",
    "recurrent_activation:hard_sigmoid",
  ]

  static let activations = [
    "linear", "relu", "sigmoid", "tanh", "hard_sigmoid", "softmax", "softsign", "softplus", "elu", "selu", "gelu",
  ]

  /// The covering subset the slow targets run has every feature of the whole Keras fixture set
  /// (``TestSupport/ModelFeatures``), and is smaller than it (else it saves nothing).
  @Test func theCoveringSubsetHasEveryFeature() throws {
    func features(_ urls: [URL]) throws -> Set<String> {
      try urls.reduce(into: Set<String>()) { all, url in
        let fixture = try Fixture(contentsOf: url)
        all.formUnion(try ModelFeatures.of(try KerasImporter.importModel(at: try #require(fixture.modelURL))))
      }
    }
    let all = FixtureFiles.kerasFixtures()
    let cover = FixtureFiles.kerasCover
    #expect(!cover.isEmpty && cover.count < all.count, "\(cover.count) of \(all.count)")
    #expect(try features(cover) == features(all))
  }

  @Test(arguments: ["2", "3"])
  func everyFeatureIsCoveredInEachKerasVersion(version: String) {
    let tags = Set(Self.entries.filter { $0.keras == version }.flatMap(\.covers))
    for tag in Self.required { #expect(tags.contains(tag), "Keras \(version) has no fixture covering \(tag)") }
  }

  /// What the GRU fixtures must cover in each Keras version, besides both reset modes.
  static let requiredForGRU = [
    "gru", "reset_after:true", "reset_after:false", "gru:return_sequences", "gru:return_state", "gru:go_backwards",
    "gru:stateful", "gru:unroll", "gru_use_bias:false", "gru_dropout", "bidirectional_gru:concat",
    "bidirectional_gru:sum", "bidirectional_gru:mul", "bidirectional_gru:ave", "masking", "embedding:mask_zero",
    "gru_recurrent_activation:hard_sigmoid", "stack:gru>lstm", "stack:lstm>gru", "sequential", "functional",
  ]

  @Test(arguments: ["2", "3"])
  func everyGRUFeatureIsCoveredInEachKerasVersion(version: String) {
    let gru = Self.entries.filter { $0.keras == version && $0.covers.contains("gru") }
    let tags = Set(gru.flatMap(\.covers))
    for tag in Self.requiredForGRU {
      #expect(tags.contains(tag), "Keras \(version) has no GRU fixture covering \(tag)")
    }
  }

  @Test func everyFileKindHasGRUFixtures() {
    let kinds = Set(Self.entries.filter { $0.covers.contains("gru") }.map { "\($0.keras)-\($0.format)" })
    #expect(kinds == ["2-h5", "3-h5", "3-keras"])
  }

  @Test func everyActivationIsCovered() {
    let tags = Self.entries.flatMap(\.covers)
    for activation in Self.activations + ["swish|silu"] {
      let names = activation.split(separator: "|").map(String.init)
      #expect(
        tags.contains { tag in names.contains { tag.hasSuffix(":\($0)") } },
        "no fixture covers activation \(activation)")
    }
  }

  @Test func everyFileKindIsCovered() {
    let kinds = Set(Self.entries.map { "\($0.keras)-\($0.format)" })
    #expect(kinds == ["2-h5", "3-h5", "3-keras"])
  }

  @Test func manifestListsEveryFixtureAndEveryModelExists() {
    let listed = Set(Self.entries.map(\.fixture))
    let onDisk = Set(FixtureFiles.kerasFixtures().map(\.lastPathComponent))
    #expect(listed == onDisk)
    for entry in Self.entries {
      #expect(FileManager.default.fileExists(atPath: FixtureFiles.keras.appendingPathComponent(entry.model).path))
    }
  }
}
