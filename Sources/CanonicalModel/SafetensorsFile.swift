import Foundation

/// A safetensors container: string metadata, named float32 tensors and named
/// integer tensors (`I8`, `I16`, `I32`).
///
/// Layout: an 8-byte little-endian header length, a JSON header, then the raw
/// little-endian tensor data. Writing is deterministic: tensors keep their
/// order, header keys are written in that order, and the header is padded with
/// spaces to a multiple of 8 bytes.
public struct SafetensorsFile: Equatable, Sendable {
  /// The `__metadata__` entries (string to string, as the format requires).
  public var metadata: [String: String]
  /// The tensors, in file order.
  public var tensors: [(name: String, tensor: Tensor)]
  /// The integer tensors, in file order (written after the float tensors).
  public var integerTensors: [(name: String, tensor: IntegerTensor)]

  /// Largest header accepted when reading (the format's own limit is 100 MB).
  public static let maximumHeaderSize = 100_000_000

  /// Creates a container.
  public init(
    metadata: [String: String], tensors: [(name: String, tensor: Tensor)],
    integerTensors: [(name: String, tensor: IntegerTensor)] = []
  ) {
    self.metadata = metadata
    self.tensors = tensors
    self.integerTensors = integerTensors
  }

  public static func == (lhs: SafetensorsFile, rhs: SafetensorsFile) -> Bool {
    lhs.metadata == rhs.metadata && lhs.tensors.count == rhs.tensors.count
      && zip(lhs.tensors, rhs.tensors).allSatisfy { $0.name == $1.name && $0.tensor.isBitwiseIdentical(to: $1.tensor) }
      && lhs.integerTensors.count == rhs.integerTensors.count
      && zip(lhs.integerTensors, rhs.integerTensors).allSatisfy { $0.name == $1.name && $0.tensor == $1.tensor }
  }

  /// The integer tensor called `name`, if present.
  public func integerTensor(named name: String) -> IntegerTensor? {
    integerTensors.first { $0.name == name }?.tensor
  }

  /// The tensor called `name`, if present.
  public func tensor(named name: String) -> Tensor? {
    tensors.first { $0.name == name }?.tensor
  }

  /// Serializes the container.
  public func encoded() throws -> Data {
    var header = "{\"__metadata__\":{"
    header += metadata.keys.sorted().map { "\(Self.jsonString($0)):\(Self.jsonString(metadata[$0]!))" }
      .joined(separator: ",")
    header += "}"
    var offset = 0
    for (name, tensor) in tensors {
      let length = tensor.elementCount * 4
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      header +=
        ",\(Self.jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + length)]}"
      offset += length
    }
    for (name, tensor) in integerTensors {
      let length = tensor.byteCount
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      header +=
        ",\(Self.jsonString(name)):{\"dtype\":\"\(tensor.elementType.dtype)\",\"shape\":[\(shape)],"
        + "\"data_offsets\":[\(offset),\(offset + length)]}"
      offset += length
    }
    header += "}"
    var headerBytes = Array(header.utf8)
    while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
    var data = Data(capacity: 8 + headerBytes.count + offset)
    withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(contentsOf: headerBytes)
    for (_, tensor) in tensors {
      let words = tensor.data.map { $0.bitPattern.littleEndian }
      words.withUnsafeBytes { data.append(contentsOf: $0) }
    }
    for (_, tensor) in integerTensors {
      for value in tensor.data {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0.prefix(tensor.elementType.byteWidth)) }
      }
    }
    return data
  }

  /// Parses a container, checking every offset and shape against the data.
  public init(data: Data) throws {
    let bytes = [UInt8](data)
    guard bytes.count >= 8 else {
      throw SafetensorsError.truncated("\(bytes.count) bytes, the header length alone needs 8")
    }
    var headerLength: UInt64 = 0
    for index in (0..<8).reversed() { headerLength = headerLength << 8 | UInt64(bytes[index]) }
    guard headerLength <= UInt64(Self.maximumHeaderSize) else {
      throw SafetensorsError.invalidHeader("header length \(headerLength) exceeds \(Self.maximumHeaderSize) bytes")
    }
    guard 8 + Int(headerLength) <= bytes.count else {
      throw SafetensorsError.truncated(
        "header of \(headerLength) bytes, but the file has \(bytes.count - 8) after the length")
    }
    let headerData = Data(bytes[8..<(8 + Int(headerLength))])
    guard let object = try? JSONSerialization.jsonObject(with: headerData), let header = object as? [String: Any]
    else { throw SafetensorsError.invalidHeader("not a JSON object") }
    let buffer = bytes[(8 + Int(headerLength))...]
    var metadata: [String: String] = [:]
    if let raw = header["__metadata__"] {
      guard let dictionary = raw as? [String: Any] else {
        throw SafetensorsError.invalidHeader("__metadata__ is not an object")
      }
      for (key, value) in dictionary {
        guard let string = value as? String else {
          throw SafetensorsError.invalidHeader("metadata value '\(key)' is not a string")
        }
        metadata[key] = string
      }
    }
    var entries: [(name: String, begin: Int, tensor: Tensor)] = []
    var integerEntries: [(name: String, begin: Int, tensor: IntegerTensor)] = []
    for (name, raw) in header where name != "__metadata__" {
      guard let entry = raw as? [String: Any] else {
        throw SafetensorsError.invalidTensor(name: name, reason: "entry is not an object")
      }
      guard let rawDtype = entry["dtype"] else { throw SafetensorsError.invalidTensor(name: name, reason: "no dtype") }
      guard let dtype = rawDtype as? String else {
        throw SafetensorsError.invalidTensor(
          name: name, reason: "dtype is \(JSONTypeName.of(rawDtype)); it must be the string \"F32\"")
      }
      let integerType = IntegerElementType(dtype: dtype)
      guard dtype == "F32" || integerType != nil else {
        throw SafetensorsError.invalidTensor(
          name: name, reason: "dtype \(dtype) is not supported; supported: F32, I8, I16, I32")
      }
      let width = integerType?.byteWidth ?? 4
      guard let shape = (entry["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
        shape.count == (entry["shape"] as? [Any])?.count, shape.allSatisfy({ $0 >= 0 })
      else { throw SafetensorsError.invalidTensor(name: name, reason: "shape is not a list of non-negative integers") }
      guard let offsets = (entry["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
        offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= buffer.count
      else {
        throw SafetensorsError.invalidTensor(
          name: name, reason: "data_offsets are missing or outside the \(buffer.count)-byte data buffer")
      }
      var elements = 1
      for dimension in shape {
        let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
        guard !overflow else { throw SafetensorsError.invalidTensor(name: name, reason: "shape \(shape) is too large") }
        elements = product
      }
      guard elements <= buffer.count / width, elements * width == offsets[1] - offsets[0] else {
        throw SafetensorsError.invalidTensor(
          name: name, reason: "shape \(shape) does not fit data_offsets of \(offsets[1] - offsets[0]) bytes")
      }
      let start = buffer.startIndex + offsets[0]
      if let integerType {
        var values = [Int32](repeating: 0, count: elements)
        for index in 0..<elements {
          let base = start + width * index
          var word: UInt32 = 0
          for byte in (0..<width).reversed() { word = word << 8 | UInt32(bytes[base + byte]) }
          // Sign-extend from the element's width.
          let unused = UInt32(32 - 8 * width)
          values[index] = Int32(bitPattern: word << unused) >> unused
        }
        integerEntries.append((name, offsets[0], IntegerTensor(integerType, shape: shape, data: values)))
        continue
      }
      var values = [Float](repeating: 0, count: elements)
      for index in 0..<elements {
        let base = start + 4 * index
        let word =
          UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8 | UInt32(bytes[base + 2]) << 16
          | UInt32(bytes[base + 3]) << 24
        values[index] = Float(bitPattern: word)
      }
      entries.append((name, offsets[0], Tensor(shape: shape, data: values)))
    }
    entries.sort { ($0.begin, $0.name) < ($1.begin, $1.name) }
    self.metadata = metadata
    self.tensors = entries.map { ($0.name, $0.tensor) }
    integerEntries.sort { ($0.begin, $0.name) < ($1.begin, $1.name) }
    self.integerTensors = integerEntries.map { ($0.name, $0.tensor) }
  }

  private static func jsonString(_ string: String) -> String {
    var result = "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 {
          result += String(format: "\\u%04x", scalar.value)
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}
