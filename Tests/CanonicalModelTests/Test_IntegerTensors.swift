import CanonicalModel
import Foundation
import Testing

/// `I8`, `I16` and `I32` tensors in safetensors files: exact round trips, sign
/// extension, and strict size checks.
@Suite struct IntegerTensorsTests {
  @Test func roundTripKeepsEveryValueAndTheOrder() throws {
    let file = SafetensorsFile(
      metadata: ["format": "pt"], tensors: [("f", Tensor(shape: [2], data: [1.5, -0]))],
      integerTensors: [
        ("a", IntegerTensor(.int8, shape: [5], data: [-128, -1, 0, 1, 127])),
        ("b", IntegerTensor(.int16, shape: [2, 2], data: [-32768, -2, 3, 32767])),
        ("c", IntegerTensor(.int32, shape: [3], data: [Int32.min, -7, Int32.max])),
        ("empty", IntegerTensor(.int8, shape: [0], data: [])),
      ])
    let data = try file.encoded()
    let decoded = try SafetensorsFile(data: data)
    #expect(decoded == file)
    #expect(try decoded.encoded() == data)
    // Data bytes: 8 float bytes, then 5 + 8 + 12 integer bytes.
    #expect(data.count == 8 + Int(data[0]) + Int(data[1]) << 8 + 8 + 5 + 8 + 12)
  }

  @Test func sizesMustMatchTheDtype() throws {
    func file(dtype: String, shape: String, bytes: Int) -> Data {
      var header = "{\"t\":{\"dtype\":\"\(dtype)\",\"shape\":[\(shape)],\"data_offsets\":[0,\(bytes)]}}"
      while header.utf8.count % 8 != 0 { header += " " }
      var data = Data()
      withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
      data.append(contentsOf: Array(header.utf8))
      data.append(contentsOf: [UInt8](repeating: 0xFF, count: bytes))
      return data
    }
    #expect(
      try SafetensorsFile(data: file(dtype: "I16", shape: "3", bytes: 6)).integerTensor(named: "t")?.data == [
        -1, -1, -1,
      ])
    #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: file(dtype: "I16", shape: "3", bytes: 3)) }
    #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: file(dtype: "I32", shape: "2", bytes: 4)) }
    #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: file(dtype: "U8", shape: "2", bytes: 2)) }
  }
}
