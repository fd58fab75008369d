import Foundation

/// A minimal protobuf wire-format writer, so tests can build ONNX messages
/// byte by byte — including malformed ones no ONNX library would write.
struct ProtobufWriter {
  var bytes: [UInt8] = []

  mutating func varint(_ value: UInt64) {
    var value = value
    while value >= 0x80 {
      bytes.append(UInt8(value & 0x7F) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(value))
  }

  mutating func key(_ field: Int, _ wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

  mutating func int(_ field: Int, _ value: Int64) {
    key(field, 0)
    varint(UInt64(bitPattern: value))
  }

  mutating func bytes(_ field: Int, _ value: [UInt8]) {
    key(field, 2)
    varint(UInt64(value.count))
    bytes.append(contentsOf: value)
  }

  mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

  mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
    var inner = ProtobufWriter()
    build(&inner)
    bytes(field, inner.bytes)
  }

  mutating func float(_ field: Int, _ value: Float) {
    key(field, 5)
    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func packedFloats(_ field: Int, _ values: [Float]) {
    bytes(field, values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } })
  }

  mutating func packedInts(_ field: Int, _ values: [Int64]) {
    var inner = ProtobufWriter()
    for value in values { inner.varint(UInt64(bitPattern: value)) }
    bytes(field, inner.bytes)
  }

  mutating func packedDoubles(_ field: Int, _ values: [Double]) {
    bytes(field, values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } })
  }

  var data: Data { Data(bytes) }
}

/// ONNX messages with the field numbers of onnx.proto.
enum ONNXBuilder {
  /// `TensorProto` fields: dims 1, data_type 2, float_data 4, int32_data 5, int64_data 7, name 8, raw_data 9, double_data 10, external_data 13, data_location 14.
  static func tensor(
    name: String, dims: [Int64], dataType: Int64, floats: [Float]? = nil, raw: [UInt8]? = nil,
    int32: [Int64]? = nil, int64: [Int64]? = nil, doubles: [Double]? = nil, external: [String: String]? = nil
  ) -> (inout ProtobufWriter) -> Void {
    return { writer in
      writer.packedInts(1, dims)
      writer.int(2, dataType)
      if let floats { writer.packedFloats(4, floats) }
      if let int32 { writer.packedInts(5, int32) }
      if let int64 { writer.packedInts(7, int64) }
      writer.string(8, name)
      if let raw { writer.bytes(9, raw) }
      if let doubles { writer.packedDoubles(10, doubles) }
      if let external {
        for (key, value) in external.sorted(by: { $0.key < $1.key }) {
          writer.message(13) { entry in
            entry.string(1, key)
            entry.string(2, value)
          }
        }
        writer.int(14, 1)
      }
    }
  }

  /// `ValueInfoProto` with a float tensor type and a shape of named or fixed dims.
  static func valueInfo(_ name: String, elementType: Int64 = 1, dims: [Any]) -> (inout ProtobufWriter) -> Void {
    return { writer in
      writer.string(1, name)
      writer.message(2) { type in
        type.message(1) { tensorType in
          tensorType.int(1, elementType)
          tensorType.message(2) { shape in
            for dim in dims {
              shape.message(1) { dimension in
                if let value = dim as? Int { dimension.int(1, Int64(value)) } else { dimension.string(2, "\(dim)") }
              }
            }
          }
        }
      }
    }
  }

  /// A model: ir_version 1, producer_name 2, graph 7, opset_import 8.
  static func model(opset: Int64 = 14, graph: (inout ProtobufWriter) -> Void) -> Data {
    var writer = ProtobufWriter()
    writer.int(1, 8)
    writer.string(2, "lstmc-tests")
    writer.string(3, "1.0")
    writer.message(7, graph)
    writer.message(8) { opsetID in
      opsetID.string(1, "")
      opsetID.int(2, opset)
    }
    return writer.data
  }
}
