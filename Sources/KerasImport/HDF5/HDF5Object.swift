import CHDF5

/// A group or dataset that carries attributes.
///
/// Attribute strings may be stored fixed-length or variable-length, ASCII or
/// UTF-8, as a scalar or as a one-element array; all read the same way.
protocol HDF5Object: AnyObject {
  /// The object's HDF5 identifier; never leaves the wrapper.
  var id: hid_t { get }
  /// The object's path inside its file, for messages.
  var path: String { get }
}

extension HDF5Object {
  /// Whether the object has an attribute called `name`.
  func hasAttribute(_ name: String) -> Bool {
    HDF5Library.locked { H5Aexists(id, name) > 0 }
  }

  /// A string attribute: a scalar, or an array holding exactly one string.
  func stringAttribute(_ name: String) throws -> String {
    let strings = try stringArrayAttribute(name)
    guard strings.count == 1 else {
      throw HDF5Error.unsupportedType(
        path: attributePath(name), reason: "expected one string, found \(strings.count)")
    }
    return strings[0]
  }

  /// A string-array attribute such as `weight_names`; an empty numeric array reads as `[]`
  /// (Keras writes a layer without weights that way).
  func stringArrayAttribute(_ name: String) throws -> [String] {
    try HDF5Library.locked {
      let where_ = attributePath(name)
      guard H5Aexists(id, name) > 0 else { throw HDF5Error.notFound(path: where_) }
      let attribute = H5Aopen(id, name, lstmc_H5P_DEFAULT())
      guard attribute >= 0 else { throw HDF5Error.readFailed(path: where_, operation: "H5Aopen") }
      defer { H5Aclose(attribute) }
      let fileType = H5Aget_type(attribute)
      guard fileType >= 0 else { throw HDF5Error.readFailed(path: where_, operation: "H5Aget_type") }
      defer { H5Tclose(fileType) }
      let space = H5Aget_space(attribute)
      guard space >= 0 else { throw HDF5Error.readFailed(path: where_, operation: "H5Aget_space") }
      defer { H5Sclose(space) }
      let points = H5Sget_simple_extent_npoints(space)
      guard points >= 0 else { throw HDF5Error.readFailed(path: where_, operation: "H5Sget_simple_extent_npoints") }
      let count = Int(points)
      guard count <= HDF5Library.maximumElementCount else { throw HDF5Error.tooLarge(path: where_) }
      guard H5Tget_class(fileType) == H5T_STRING else {
        if count == 0 { return [] }
        throw HDF5Error.unsupportedType(path: where_, reason: "is not a string attribute")
      }
      if count == 0 { return [] }
      let memoryType = H5Tcopy(lstmc_H5T_C_S1())
      guard memoryType >= 0 else { throw HDF5Error.readFailed(path: where_, operation: "H5Tcopy") }
      defer { H5Tclose(memoryType) }
      H5Tset_cset(memoryType, H5Tget_cset(fileType))
      if H5Tis_variable_str(fileType) > 0 {
        return try readVariableStrings(attribute, memoryType, space, count, where_)
      }
      return try readFixedStrings(attribute, fileType, memoryType, count, where_)
    }
  }

  private func readVariableStrings(
    _ attribute: hid_t, _ memoryType: hid_t, _ space: hid_t, _ count: Int, _ where_: String
  ) throws -> [String] {
    guard H5Tset_size(memoryType, lstmc_H5T_VARIABLE()) >= 0 else {
      throw HDF5Error.readFailed(path: where_, operation: "H5Tset_size")
    }
    var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
    let status = pointers.withUnsafeMutableBytes { H5Aread(attribute, memoryType, $0.baseAddress) }
    guard status >= 0 else { throw HDF5Error.readFailed(path: where_, operation: "H5Aread") }
    let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
    _ = pointers.withUnsafeMutableBytes {
      H5Dvlen_reclaim(memoryType, space, lstmc_H5P_DEFAULT(), $0.baseAddress)
    }
    return strings
  }

  private func readFixedStrings(
    _ attribute: hid_t, _ fileType: hid_t, _ memoryType: hid_t, _ count: Int, _ where_: String
  ) throws -> [String] {
    let size = H5Tget_size(fileType)
    guard size > 0 else { throw HDF5Error.unsupportedType(path: where_, reason: "has a zero-length string type") }
    let (total, overflow) = count.multipliedReportingOverflow(by: size)
    guard !overflow, total <= HDF5Library.maximumElementCount else { throw HDF5Error.tooLarge(path: where_) }
    guard H5Tset_size(memoryType, size) >= 0, H5Tset_strpad(memoryType, H5Tget_strpad(fileType)) >= 0 else {
      throw HDF5Error.readFailed(path: where_, operation: "H5Tset_size")
    }
    var bytes = [UInt8](repeating: 0, count: total)
    let status = bytes.withUnsafeMutableBytes { H5Aread(attribute, memoryType, $0.baseAddress) }
    guard status >= 0 else { throw HDF5Error.readFailed(path: where_, operation: "H5Aread") }
    let spacePadded = H5Tget_strpad(fileType) == H5T_STR_SPACEPAD
    return (0..<count).map { index in
      var chunk = bytes[(index * size)..<((index + 1) * size)]
      if let end = chunk.firstIndex(of: 0) { chunk = chunk[chunk.startIndex..<end] }
      var string = String(decoding: chunk, as: UTF8.self)
      if spacePadded {
        while string.hasSuffix(" ") { string.removeLast() }
      }
      return string
    }
  }

  /// The attribute's path for messages, `path@name`.
  func attributePath(_ name: String) -> String { "\(path)@\(name)" }
}
