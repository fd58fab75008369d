import Foundation
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

  @Test(arguments: ["2", "3"])
  func everyFeatureIsCoveredInEachKerasVersion(version: String) {
    let tags = Set(Self.entries.filter { $0.keras == version }.flatMap(\.covers))
    for tag in Self.required { #expect(tags.contains(tag), "Keras \(version) has no fixture covering \(tag)") }
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
