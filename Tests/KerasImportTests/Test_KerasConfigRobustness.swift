import Foundation
import Testing

@testable import KerasImport

/// Damaged configs (values replaced by other JSON types, keys and list items
/// dropped) must give a `KerasImportError`, never a crash or another error.
@Suite("Damaged configs fail cleanly")
struct Test_KerasConfigRobustness {
  /// A small deterministic generator (SplitMix64), so failures reproduce.
  struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  private var replacements: [Any] {
    [
      NSNull(), 0, -1, 1e30, "x", [Any](), [String: Any](), true, [1, 2], ["a": 1], 3.5, "LSTM",
    ]
  }

  private func mutate(_ value: Any, _ rng: inout SplitMix64) -> Any {
    if Int.random(in: 0..<12, using: &rng) == 0 {
      let choices = replacements
      return choices[Int.random(in: 0..<choices.count, using: &rng)]
    }
    if var members = value as? [String: Any] {
      for key in members.keys.sorted() { members[key] = members[key].map { mutate($0, &rng) } }
      if Int.random(in: 0..<20, using: &rng) == 0, let key = members.keys.sorted().first {
        members[key] = nil
      }
      return members
    }
    if var items = value as? [Any] {
      for index in items.indices { items[index] = mutate(items[index], &rng) }
      if Int.random(in: 0..<20, using: &rng) == 0, !items.isEmpty {
        items.remove(at: Int.random(in: 0..<items.count, using: &rng))
      }
      return items
    }
    return value
  }

  @Test(
    "mutated configs give KerasImportError",
    arguments: [
      "k3_bidi_pair_a.keras", "k3_masking_last.keras", "k3_embedding_mask.keras", "k3_state_seq.keras",
      "k3_gru_state.keras", "k3_gru_masking.keras",
    ])
  func mutatedConfigs(name: String) throws {
    let archive = try KerasArchive(url: FixtureFiles.keras(name))
    let config = try #require(try archive.data(of: "config.json"))
    let weights = try #require(try archive.data(of: "model.weights.h5"))
    let directory = try TestZipWriter.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var rng = SplitMix64(state: UInt64(name.utf8.count))
    var failures = 0
    for iteration in 0..<60 {
      guard var top = try JSONSerialization.jsonObject(with: config) as? [String: Any] else { return }
      for key in top.keys.sorted() { top[key] = top[key].map { mutate($0, &rng) } }
      let url = directory.appendingPathComponent("m\(iteration).keras")
      try TestZipWriter.write(
        [("config.json", try JSONSerialization.data(withJSONObject: top)), ("model.weights.h5", weights)], to: url)
      do {
        _ = try KerasImporter.importModel(at: url)
      } catch is KerasImportError {
        failures += 1
      } catch {
        Issue.record("iteration \(iteration): \(error) is not a KerasImportError")
      }
    }
    #expect(failures > 0)
  }
}
