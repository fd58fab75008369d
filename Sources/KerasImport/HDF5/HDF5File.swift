import CHDF5
import Foundation

/// An HDF5 file opened read-only, from a path or from an in-memory image.
///
/// The file stays open while any ``HDF5Group`` or ``HDF5Dataset`` taken from it
/// is alive (each holds a reference to its file).
final class HDF5File {
  /// The file's HDF5 identifier; never leaves the wrapper.
  let id: hid_t
  /// A name for messages (the path, or the archive member the image came from).
  let name: String

  /// Opens the file at `path` read-only.
  init(path: String) throws {
    let id = HDF5Library.locked { H5Fopen(path, lstmc_H5F_ACC_RDONLY(), lstmc_H5P_DEFAULT()) }
    guard id >= 0 else {
      throw HDF5Error.cannotOpenFile("HDF5 cannot open it; it is truncated or corrupt")
    }
    self.id = id
    self.name = path
  }

  /// Opens the file at `url` read-only.
  convenience init(url: URL) throws {
    try self.init(path: url.path)
  }

  /// Opens an HDF5 file held in memory (HDF5 copies the bytes; nothing touches the disk).
  init(image: Data, name: String) throws {
    guard !image.isEmpty else { throw HDF5Error.cannotOpenFile("'\(name)' is empty") }
    let id: hid_t = HDF5Library.locked {
      let fapl = H5Pcreate(lstmc_H5P_FILE_ACCESS())
      guard fapl >= 0 else { return -1 }
      defer { H5Pclose(fapl) }
      guard H5Pset_fapl_core(fapl, 64 * 1024, false) >= 0 else { return -1 }
      let stored = image.withUnsafeBytes { buffer -> herr_t in
        guard let base = buffer.baseAddress else { return -1 }
        return H5Pset_file_image(fapl, UnsafeMutableRawPointer(mutating: base), buffer.count)
      }
      guard stored >= 0 else { return -1 }
      // The core driver tells open files apart by name: give every image its own,
      // or a second image opened under the same name would alias the first.
      return H5Fopen("\(name)#\(UUID().uuidString)", lstmc_H5F_ACC_RDONLY(), fapl)
    }
    guard id >= 0 else {
      throw HDF5Error.cannotOpenFile("HDF5 cannot open '\(name)'; it is truncated or corrupt")
    }
    self.id = id
    self.name = name
  }

  deinit {
    let id = self.id
    HDF5Library.locked { _ = H5Fclose(id) }
  }

  /// The root group `/`.
  func rootGroup() throws -> HDF5Group {
    try HDF5Group(file: self, location: id, path: "/")
  }
}
