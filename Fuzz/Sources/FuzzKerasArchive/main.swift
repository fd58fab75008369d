import Foundation
import KerasImport

/// A `.keras` archive rebuilt around fuzzed `config.json` bytes (raw zip mutations rarely pass the CRC):
/// the first input byte picks which Keras 3 fixture's `metadata.json` and `model.weights.h5` go with it,
/// the rest is `config.json`. The archive is imported in memory, libhdf5 included.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKerasArchive(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: start, count: count)
  guard let selector = bytes.first, !prefixes.isEmpty else { return 0 }
  var zip = prefixes[Int(selector) % prefixes.count]
  zip.add("config.json", Array(bytes.dropFirst()))
  _ = try? KerasImporter.importArchive(data: Data(zip.archive), fileName: "fuzz.keras")
  return 0
}

/// Every fixture's members, zipped once.
private let prefixes = KerasFixtureMembers.all.map(\.prefix)
