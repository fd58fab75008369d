import CanonicalModel
import FixtureFormat
import Foundation
import Testing

@testable import Verification

/// `.npy` reading: the layouts NumPy writes, and strict refusals of everything else.
@Suite struct NumPyArrayTests {
  /// A `.npy` file as `numpy.save` writes it (version 1.0, header padded to 64 bytes).
  static func file(header: String, payload: [UInt8], major: UInt8 = 1) -> Data {
    var text = header
    let prefix = major == 1 ? 10 : 12
    while (prefix + text.utf8.count + 1) % 64 != 0 { text += " " }
    text += "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [major, 0])
    let length = text.utf8.count
    data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
    if major != 1 { data.append(contentsOf: [0, 0]) }
    data.append(contentsOf: Array(text.utf8))
    data.append(contentsOf: payload)
    return data
  }

  static func floats(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
  }

  @Test func readsFloat32AndInt32() throws {
    let values: [Float] = [1.5, -2, 0, 3.25, 7, -0.5]
    let array = try NumPyArray(
      data: Self.file(
        header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 2), }", payload: Self.floats(values)))
    #expect(array.tensor == Tensor(shape: [1, 3, 2], data: values))
    let integers: [Int32] = [-3, 0, 70000]
    let payload = integers.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    let indices = try NumPyArray(
      data: Self.file(header: "{'shape': (3,), 'fortran_order': False, 'descr': '<i4'}", payload: payload, major: 2))
    #expect(indices.tensor == Tensor(shape: [3], data: [-3, 0, 70000]))
  }

  @Test(arguments: [
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 16, "dtype <f8 is not supported"),
    ("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8, "dtype >f4 is not supported"),
    ("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", 8, "Fortran order"),
    ("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 8, "needs 12 data bytes"),
    ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 9, "needs 8 data bytes"),
    ("{'descr': '<f4', 'shape': (2,), }", 8, "lacks descr, fortran_order or shape"),
    ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", 8, "unexpected or repeated"),
    ("{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}", 8, "lacks ','"),
    ("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", 8, "non-negative"),
    ("['descr']", 8, "not a dict"),
  ])
  func refuses(header: String, bytes: Int, message: String) {
    do {
      _ = try NumPyArray(data: Self.file(header: header, payload: [UInt8](repeating: 0, count: bytes)))
      Issue.record("accepted \(header)")
    } catch {
      #expect("\(error)".contains(message), "\(error)")
    }
  }

  @Test func refusesOtherFiles() {
    #expect(throws: NumPyError.self) { try NumPyArray(data: Data("{\"format\": 1}".utf8)) }
    #expect(throws: NumPyError.self) { try NumPyArray(data: Data([0x93] + Array("NUMPY".utf8) + [9, 0, 0, 0])) }
    #expect(throws: NumPyError.self) { try NumPyArray(data: Data([0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0xFF])) }
  }
}
