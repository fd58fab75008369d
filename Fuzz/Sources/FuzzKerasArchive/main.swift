import Foundation
import KerasImport
import ZIPFoundation

/// A `.keras` archive rebuilt around fuzzed `config.json` bytes (raw zip mutations rarely pass the CRC):
/// the first input byte picks which Keras 3 fixture's `metadata.json` and `model.weights.h5` go with it,
/// the rest is `config.json`. The archive is imported in memory, libhdf5 included.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKerasArchive(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: start, count: count)
  guard let selector = bytes.first, !KerasFixtureMembers.all.isEmpty else { return 0 }
  let members = KerasFixtureMembers.all[Int(selector) % KerasFixtureMembers.all.count]
  let config = Data(bytes.dropFirst())
  guard
    let archive = try? KerasFixtureMembers.zip([
      ("config.json", config), ("metadata.json", members.metadata), ("model.weights.h5", members.weights),
    ])
  else { return 0 }
  _ = try? KerasImporter.importArchive(data: archive, fileName: "fuzz.keras")
  return 0
}
