import CHDF5

/// An open HDF5 group: lists its children and opens subgroups and datasets by
/// relative path (`a/b/c`).
final class HDF5Group: HDF5Object {
  /// What a path inside a group names.
  enum ChildKind: Equatable {
    case group
    case dataset
    case other
  }

  let id: hid_t
  let path: String
  /// The file the group belongs to, kept open while the group lives.
  let file: HDF5File

  /// Opens the group at `relativePath` below `location` (a file or group identifier).
  init(file: HDF5File, location: hid_t, path: String, relativePath: String = ".") throws {
    let id = HDF5Library.locked { H5Gopen2(location, relativePath, lstmc_H5P_DEFAULT()) }
    guard id >= 0 else { throw HDF5Error.readFailed(path: path, operation: "H5Gopen") }
    self.id = id
    self.path = path
    self.file = file
  }

  deinit {
    let id = self.id
    HDF5Library.locked { _ = H5Gclose(id) }
  }

  /// The names of the group's direct children, in HDF5's name order.
  func childNames() throws -> [String] {
    try HDF5Library.locked {
      var info = H5G_info_t()
      guard H5Gget_info(id, &info) >= 0 else { throw HDF5Error.readFailed(path: path, operation: "H5Gget_info") }
      guard info.nlinks <= UInt64(HDF5Library.maximumElementCount) else { throw HDF5Error.tooLarge(path: path) }
      var names: [String] = []
      for index in 0..<info.nlinks {
        let length = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, lstmc_H5P_DEFAULT())
        guard length >= 0 else { throw HDF5Error.readFailed(path: path, operation: "H5Lget_name_by_idx") }
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        let written = H5Lget_name_by_idx(
          id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, lstmc_H5P_DEFAULT())
        guard written >= 0 else { throw HDF5Error.readFailed(path: path, operation: "H5Lget_name_by_idx") }
        names.append(String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
      }
      return names
    }
  }

  /// Whether `relativePath` names an existing object (every intermediate group must exist).
  func contains(_ relativePath: String) -> Bool {
    kind(of: relativePath) != nil
  }

  /// What `relativePath` names, or `nil` when nothing is there.
  func kind(of relativePath: String) -> ChildKind? {
    let components = relativePath.split(separator: "/", omittingEmptySubsequences: true)
    guard !components.isEmpty else { return nil }
    return HDF5Library.locked {
      var prefix = ""
      for component in components {
        prefix += prefix.isEmpty ? String(component) : "/" + component
        guard H5Lexists(id, prefix, lstmc_H5P_DEFAULT()) > 0 else { return nil }
      }
      let object = H5Oopen(id, prefix, lstmc_H5P_DEFAULT())
      guard object >= 0 else { return nil }
      defer { H5Oclose(object) }
      switch H5Iget_type(object) {
      case H5I_GROUP: return .group
      case H5I_DATASET: return .dataset
      default: return .other
      }
    }
  }

  /// Opens the subgroup at `relativePath`.
  func group(_ relativePath: String) throws -> HDF5Group {
    let target = childPath(relativePath)
    switch kind(of: relativePath) {
    case .group?: return try HDF5Group(file: file, location: id, path: target, relativePath: relativePath)
    case nil: throw HDF5Error.notFound(path: target)
    default: throw HDF5Error.wrongObjectKind(path: target, expected: "a group")
    }
  }

  /// Opens the dataset at `relativePath`.
  func dataset(_ relativePath: String) throws -> HDF5Dataset {
    let target = childPath(relativePath)
    switch kind(of: relativePath) {
    case .dataset?: return try HDF5Dataset(file: file, location: id, path: target, relativePath: relativePath)
    case nil: throw HDF5Error.notFound(path: target)
    default: throw HDF5Error.wrongObjectKind(path: target, expected: "a dataset")
    }
  }

  /// The absolute path of a child, for messages.
  func childPath(_ relativePath: String) -> String {
    path.hasSuffix("/") ? path + relativePath : path + "/" + relativePath
  }
}
