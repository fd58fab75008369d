import CHDF5

/// An open HDF5 dataset of numbers: its shape, and its contents as `Float`.
final class HDF5Dataset: HDF5Object {
  let id: hid_t
  let path: String
  /// The file the dataset belongs to, kept open while the dataset lives.
  let file: HDF5File
  /// The extent of each axis, outermost first (`[]` for a scalar).
  let shape: [Int]

  /// Opens the dataset at `relativePath` below `location` and reads its shape.
  init(file: HDF5File, location: hid_t, path: String, relativePath: String) throws {
    let (id, shape): (hid_t, [Int]?) = HDF5Library.locked {
      let id = H5Dopen2(location, relativePath, lstmc_H5P_DEFAULT())
      guard id >= 0 else { return (id, nil) }
      let space = H5Dget_space(id)
      guard space >= 0 else { return (id, nil) }
      defer { H5Sclose(space) }
      let rank = H5Sget_simple_extent_ndims(space)
      guard rank >= 0, rank <= 32 else { return (id, nil) }
      var dimensions = [hsize_t](repeating: 0, count: Int(rank))
      guard H5Sget_simple_extent_dims(space, &dimensions, nil) >= 0 else { return (id, nil) }
      guard dimensions.allSatisfy({ $0 <= UInt64(Int.max) }) else { return (id, nil) }
      return (id, dimensions.map { Int($0) })
    }
    guard id >= 0 else { throw HDF5Error.readFailed(path: path, operation: "H5Dopen") }
    guard let shape else {
      HDF5Library.locked { _ = H5Dclose(id) }
      throw HDF5Error.readFailed(path: path, operation: "H5Sget_simple_extent_dims")
    }
    self.id = id
    self.path = path
    self.file = file
    self.shape = shape
  }

  deinit {
    let id = self.id
    HDF5Library.locked { _ = H5Dclose(id) }
  }

  /// The number of elements, or `nil` when it exceeds what the wrapper reads.
  var elementCount: Int? { HDF5Library.elementCount(shape) }

  /// The contents in row-major order, converted to `Float` by HDF5 (from float16,
  /// float32, float64 or an integer type); Keras 3's bfloat16 (stored as 16-bit
  /// words with a `dtype="bfloat16"` attribute) is widened here.
  func readFloats() throws -> [Float] {
    guard let count = elementCount else { throw HDF5Error.tooLarge(path: path) }
    let isBFloat16 = hasAttribute("dtype") && (try? stringAttribute("dtype")) == "bfloat16"
    return try HDF5Library.locked {
      let type = H5Dget_type(id)
      guard type >= 0 else { throw HDF5Error.readFailed(path: path, operation: "H5Dget_type") }
      defer { H5Tclose(type) }
      let typeClass = H5Tget_class(type)
      if isBFloat16 {
        guard H5Tget_size(type) == 2 else {
          throw HDF5Error.unsupportedType(path: path, reason: "is marked bfloat16 but is not 16 bits wide")
        }
        var words = [UInt16](repeating: 0, count: count)
        let memoryType = typeClass == H5T_INTEGER ? lstmc_H5T_NATIVE_UINT16() : type
        let status =
          count == 0
          ? 0
          : words.withUnsafeMutableBytes {
            H5Dread(id, memoryType, lstmc_H5S_ALL(), lstmc_H5S_ALL(), lstmc_H5P_DEFAULT(), $0.baseAddress)
          }
        guard status >= 0 else { throw HDF5Error.readFailed(path: path, operation: "H5Dread") }
        return words.map { Float(bitPattern: UInt32($0) << 16) }
      }
      guard typeClass == H5T_FLOAT || typeClass == H5T_INTEGER else {
        throw HDF5Error.unsupportedType(path: path, reason: "holds neither floats nor integers")
      }
      var values = [Float](repeating: 0, count: count)
      let status =
        count == 0
        ? 0
        : values.withUnsafeMutableBytes {
          H5Dread(id, lstmc_H5T_NATIVE_FLOAT(), lstmc_H5S_ALL(), lstmc_H5S_ALL(), lstmc_H5P_DEFAULT(), $0.baseAddress)
        }
      guard status >= 0 else { throw HDF5Error.readFailed(path: path, operation: "H5Dread") }
      return values
    }
  }
}
