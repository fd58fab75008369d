/// The value fields of one `TensorProto`, turned into float32 or int64 values.
///
/// Reads `raw_data` (little-endian, fixed width), `float_data`, `double_data`,
/// `int32_data` (which also carries float16/bfloat16 bits and small integer
/// types), `int64_data` and `uint64_data`; widens float16, bfloat16 and double
/// to float32; checks that the element count matches the dims.
struct TensorPayload {
  let name: String
  let dataType: ONNXDataType
  let elements: Int
  let raw: [UInt8]?
  let floatData: UnsafeBufferPointer<Float>
  let int32Data: UnsafeBufferPointer<Int32>
  let int64Data: UnsafeBufferPointer<Int64>
  let doubleData: UnsafeBufferPointer<Double>
  let uint64Data: UnsafeBufferPointer<UInt64>

  func decode() throws -> (floats: [Float], integers: [Int64]) {
    if let raw { return try decodeRaw(raw) }
    switch dataType {
    case .float:
      try expect(floatData.count, field: "float_data")
      return (Array(floatData), [])
    case .double:
      try expect(doubleData.count, field: "double_data")
      return (doubleData.map { Float($0) }, [])
    case .float16:
      try expect(int32Data.count, field: "int32_data")
      return (int32Data.map { Self.half(UInt16(truncatingIfNeeded: $0)) }, [])
    case .bfloat16:
      try expect(int32Data.count, field: "int32_data")
      return (int32Data.map { Float(bitPattern: UInt32(UInt16(truncatingIfNeeded: $0)) << 16) }, [])
    case .int32, .int16, .int8, .uint16, .uint8, .bool:
      try expect(int32Data.count, field: "int32_data")
      return ([], int32Data.map { Int64($0) })
    case .int64:
      try expect(int64Data.count, field: "int64_data")
      return ([], Array(int64Data))
    case .uint32, .uint64:
      try expect(uint64Data.count, field: "uint64_data")
      return ([], uint64Data.map { Int64(truncatingIfNeeded: $0) })
    default:
      throw ONNXImportError.unsupportedDataType(name: name, dataType: dataType.rawValue)
    }
  }

  private func expect(_ count: Int, field: String) throws {
    guard count == elements else {
      throw ONNXImportError.invalidTensor(
        name: name,
        reason: "its dims need \(elements) elements, but \(field) holds \(count)"
          + (count == 0 ? " (no data: neither raw_data nor a typed field)" : ""))
    }
  }

  private func decodeRaw(_ raw: [UInt8]) throws -> (floats: [Float], integers: [Int64]) {
    let size = dataType.rawElementSize ?? 0
    guard raw.count == elements * size else {
      throw ONNXImportError.invalidTensor(
        name: name,
        reason:
          "its dims need \(elements) × \(size) = \(elements * size) bytes of \(dataType.name), raw data has \(raw.count)"
      )
    }
    func word(_ index: Int, _ width: Int) -> UInt64 {
      var value: UInt64 = 0
      for byte in (0..<width).reversed() { value = value << 8 | UInt64(raw[index * width + byte]) }
      return value
    }
    let range = 0..<elements
    switch dataType {
    case .float: return (range.map { Float(bitPattern: UInt32(word($0, 4))) }, [])
    case .double: return (range.map { Float(Double(bitPattern: word($0, 8))) }, [])
    case .float16: return (range.map { Self.half(UInt16(word($0, 2))) }, [])
    case .bfloat16: return (range.map { Float(bitPattern: UInt32(word($0, 2)) << 16) }, [])
    case .int8: return ([], range.map { Int64(Int8(bitPattern: UInt8(word($0, 1)))) })
    case .uint8, .bool: return ([], range.map { Int64(word($0, 1)) })
    case .int16: return ([], range.map { Int64(Int16(bitPattern: UInt16(word($0, 2)))) })
    case .uint16: return ([], range.map { Int64(word($0, 2)) })
    case .int32: return ([], range.map { Int64(Int32(bitPattern: UInt32(word($0, 4)))) })
    case .uint32: return ([], range.map { Int64(word($0, 4)) })
    case .int64, .uint64: return ([], range.map { Int64(bitPattern: word($0, 8)) })
    default: throw ONNXImportError.unsupportedDataType(name: name, dataType: dataType.rawValue)
    }
  }

  /// IEEE 754 half precision to float32, exactly (subnormals, infinities, NaN included).
  static func half(_ bits: UInt16) -> Float {
    let sign: UInt32 = UInt32(bits >> 15) << 31
    let exponent = Int((bits >> 10) & 0x1F)
    let mantissa = UInt32(bits & 0x3FF)
    switch exponent {
    case 0:
      // Zero or subnormal: mantissa · 2^-24.
      let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
      return sign != 0 ? -magnitude : magnitude
    case 0x1F:
      return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
    default:
      return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | mantissa << 13)
    }
  }
}
