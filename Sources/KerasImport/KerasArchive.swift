import Foundation
import ZIPFoundation

/// A Keras 3 `.keras` archive: a zip holding `config.json`, `metadata.json`
/// and `model.weights.h5`.
struct KerasArchive {
  /// The largest member lstmc extracts (1 GiB), against zip bombs.
  static let maximumMemberSize: UInt64 = 1 << 30

  private let archive: Archive

  /// Opens the archive read-only.
  init(url: URL) throws {
    do {
      archive = try Archive(url: url, accessMode: .read)
    } catch {
      throw KerasImportError.corruptArchive(reason: "not a readable zip archive")
    }
  }

  /// Opens an archive held in memory, read-only.
  init(data: Data) throws {
    do {
      archive = try Archive(data: data, accessMode: .read)
    } catch {
      throw KerasImportError.corruptArchive(reason: "not a readable zip archive")
    }
  }

  /// Whether the archive has a member at `path`.
  func contains(_ path: String) -> Bool { archive[path] != nil }

  /// The bytes of the member at `path`; `nil` when there is no such member. A member larger than
  /// `limit` is refused before it is inflated when its header says so, and as soon as inflating it
  /// passes its header's size or `limit` when the header understates it.
  func data(of path: String, limit: UInt64 = maximumMemberSize) throws -> Data? {
    guard let entry = archive[path] else { return nil }
    guard entry.type == .file else {
      throw KerasImportError.corruptArchive(reason: "'\(path)' is not a file")
    }
    guard entry.uncompressedSize <= limit else {
      throw KerasImportError.corruptArchive(reason: "'\(path)' is larger than \(limit) bytes")
    }
    let declared = entry.uncompressedSize
    var data = Data()
    data.reserveCapacity(Int(declared))
    let checksum: CRC32
    do {
      checksum = try archive.extract(entry) { chunk in
        guard UInt64(data.count + chunk.count) <= declared else {
          throw KerasImportError.corruptArchive(reason: "'\(path)' is larger than its zip header says")
        }
        data.append(chunk)
      }
    } catch let error as KerasImportError {
      throw error
    } catch {
      throw KerasImportError.corruptArchive(reason: "cannot extract '\(path)': \(error)")
    }
    guard checksum == entry.checksum, UInt64(data.count) == entry.uncompressedSize else {
      throw KerasImportError.corruptArchive(reason: "'\(path)' is damaged (its checksum does not match)")
    }
    return data
  }
}
