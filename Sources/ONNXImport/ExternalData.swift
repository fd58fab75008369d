import Foundation

/// Reads a tensor's external data (`data_location = EXTERNAL`): the file named
/// by `location`, relative to the model's folder, from `offset` for `length`
/// bytes. A location that is absolute or leads out of the model's folder (by
/// `..` or a symbolic link) is refused.
struct ExternalData {
  let folder: URL
  let limits: ONNXLimits

  func read(_ entries: [String: String], tensor: String, expectedBytes: Int) throws -> [UInt8] {
    func fail(_ reason: String) -> ONNXImportError { .externalData(name: tensor, reason: reason) }
    guard let location = entries["location"], !location.isEmpty else { throw fail("has no 'location'") }
    guard !location.hasPrefix("/") else {
      throw fail("location '\(location)' is absolute; it must be relative to the model's folder")
    }
    let base = folder.standardizedFileURL.resolvingSymlinksInPath()
    let resolved = URL(fileURLWithPath: location, relativeTo: base).standardizedFileURL.resolvingSymlinksInPath()
    guard resolved.path.hasPrefix(base.path.hasSuffix("/") ? base.path : base.path + "/") else {
      throw fail("location '\(location)' leads out of the model's folder; lstmc reads external data only inside it")
    }
    guard let offset = Int(entries["offset"] ?? "0"), offset >= 0 else { throw fail("has an invalid 'offset'") }
    let length: Int
    if let declared = entries["length"] {
      guard let value = Int(declared), value >= 0 else { throw fail("has an invalid 'length'") }
      length = value
    } else {
      length = expectedBytes
    }
    guard length == expectedBytes else {
      throw fail("'length' is \(length) bytes, the tensor's dims and type need \(expectedBytes)")
    }
    guard length <= limits.maximumExternalBytes else { throw fail("of \(length) bytes exceeds lstmc's limit") }
    // Only a regular file: opening a FIFO would block, and a device or folder has no data to read.
    let type = (try? FileManager.default.attributesOfItem(atPath: resolved.path))?[.type] as? FileAttributeType
    guard type == .typeRegular, let handle = FileHandle(forReadingAtPath: resolved.path) else {
      throw fail("file '\(location)' cannot be opened (missing, or not a regular file)")
    }
    defer { try? handle.close() }
    let size = (try? handle.seekToEnd()).map { Int(clamping: $0) } ?? 0
    guard offset <= size, length <= size - offset else {
      // Described by offset and length: `offset + length` may not even fit an Int.
      throw fail("of \(length) bytes at offset \(offset) lies beyond the end of '\(location)' (\(size) bytes)")
    }
    try? handle.seek(toOffset: UInt64(offset))
    let data = (try? handle.read(upToCount: length)) ?? Data()
    guard data.count == length else { throw fail("file '\(location)' could not be read completely") }
    return [UInt8](data)
  }
}
