import Foundation
import ZIPFoundation

/// The `metadata.json` and `model.weights.h5` of every Keras 3 `.keras` fixture in `Fixtures/keras/`,
/// read once.
struct KerasFixtureMembers {
  var metadata: Data
  var weights: Data

  /// `Fixtures/keras/`, found from this source file (or `LSTMC_FIXTURES`, the `Fixtures` folder).
  static var folder: URL {
    if let root = ProcessInfo.processInfo.environment["LSTMC_FIXTURES"] {
      return URL(fileURLWithPath: root).appendingPathComponent("keras")
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/keras")
  }

  /// Every fixture's members, in file-name order (the order the seed corpus's selector bytes assume).
  static let all: [KerasFixtureMembers] = {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
      .filter { $0.hasSuffix(".keras") }.sorted()
    return names.compactMap { name in
      guard let archive = try? Archive(url: folder.appendingPathComponent(name), accessMode: .read, pathEncoding: nil),
        let metadata = member(archive, "metadata.json"), let weights = member(archive, "model.weights.h5")
      else { return nil }
      return KerasFixtureMembers(metadata: metadata, weights: weights)
    }
  }()

  private static func member(_ archive: Archive, _ path: String) -> Data? {
    guard let entry = archive[path] else { return nil }
    var data = Data()
    _ = try? archive.extract(entry) { data.append($0) }
    return data
  }

  /// A zip of this fixture's `metadata.json` and `model.weights.h5` to which each input adds its
  /// `config.json` (stored, so the weights' bytes and checksum are written once).
  var prefix: StoredZip {
    var zip = StoredZip()
    zip.add("metadata.json", [UInt8](metadata))
    zip.add("model.weights.h5", [UInt8](weights))
    return zip
  }
}
