import CanonicalModel
import Foundation

/// A NumPy `.npy` array of little-endian float32 (`<f4`) or int32 (`<i4`), C order.
///
/// Reading is strict: the magic and version (1.0, 2.0 or 3.0), a header that is
/// exactly a dict of `descr`, `fortran_order` and `shape`, and a data section of
/// exactly the shape's size. int32 values become exact floats (as Embedding
/// indices travel through the interpreter).
public struct NumPyArray: Equatable, Sendable {
  /// The array as a canonical tensor.
  public var tensor: Tensor
  /// Whether the file holds int32 (`<i4`) values rather than float32.
  public var isInteger = false

  /// Reads the array at `url`.
  public init(contentsOf url: URL) throws {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw NumPyError.unreadable(error.localizedDescription)
    }
    try self.init(data: data)
  }

  /// Whether `data` starts with the `.npy` magic.
  public static func isNumPy(_ head: Data) -> Bool { head.starts(with: magic) }

  static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

  /// Parses `.npy` bytes.
  public init(data: Data) throws {
    let bytes = [UInt8](data)
    guard bytes.count >= 10, bytes.starts(with: Self.magic) else { throw NumPyError.invalid("no \\x93NUMPY magic") }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    switch major {
    case 1:
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      headerStart = 10
    case 2, 3:
      guard bytes.count >= 12 else { throw NumPyError.invalid("truncated header length") }
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
      headerStart = 12
    default:
      throw NumPyError.invalid("format version \(major).\(bytes[7]) is not supported; supported: 1.0, 2.0, 3.0")
    }
    guard headerLength <= bytes.count - headerStart else { throw NumPyError.invalid("truncated header") }
    guard let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .utf8) else {
      throw NumPyError.invalid("the header is not text")
    }
    let (descr, fortranOrder, shape) = try Self.parse(header)
    guard descr == "<f4" || descr == "<i4" else {
      throw NumPyError.invalid("dtype \(descr) is not supported; supported: <f4 (float32), <i4 (int32)")
    }
    guard !fortranOrder else { throw NumPyError.invalid("Fortran order is not supported; save a C-order array") }
    var count = 1
    for dimension in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
      guard !overflow, product <= bytes.count else { throw NumPyError.invalid("shape \(shape) is too large") }
      count = product
    }
    let start = headerStart + headerLength
    guard bytes.count - start == 4 * count else {
      throw NumPyError.invalid(
        "shape \(shape) needs \(4 * count) data bytes, the file has \(bytes.count - start)")
    }
    var values = [Float](repeating: 0, count: count)
    for index in 0..<count {
      let base = start + 4 * index
      let word =
        UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8 | UInt32(bytes[base + 2]) << 16
        | UInt32(bytes[base + 3]) << 24
      values[index] = descr == "<f4" ? Float(bitPattern: word) : Float(Int32(bitPattern: word))
    }
    tensor = Tensor(shape: shape, data: values)
    isInteger = descr == "<i4"
  }

  /// The header dict: exactly `descr`, `fortran_order` and `shape`, in any order.
  static func parse(_ header: String) throws -> (descr: String, fortranOrder: Bool, shape: [Int]) {
    var text = Substring(header.trimmingCharacters(in: .whitespacesAndNewlines))
    guard text.hasPrefix("{"), text.hasSuffix("}") else { throw NumPyError.invalid("the header is not a dict") }
    text = text.dropFirst().dropLast()
    var descr: String?
    var fortranOrder: Bool?
    var shape: [Int]?
    func skipSpaces() { while text.first == " " { text = text.dropFirst() } }
    while true {
      skipSpaces()
      if text.isEmpty { break }
      guard text.first == "'", let keyEnd = text.dropFirst().firstIndex(of: "'") else {
        throw NumPyError.invalid("the header dict has a key that is not a quoted string")
      }
      let key = String(text[text.index(after: text.startIndex)..<keyEnd])
      text = text[text.index(after: keyEnd)...]
      skipSpaces()
      guard text.first == ":" else { throw NumPyError.invalid("the header dict lacks ':' after '\(key)'") }
      text = text.dropFirst()
      skipSpaces()
      switch key {
      case "descr" where descr == nil:
        guard text.first == "'", let end = text.dropFirst().firstIndex(of: "'") else {
          throw NumPyError.invalid("descr is not a quoted string")
        }
        descr = String(text[text.index(after: text.startIndex)..<end])
        text = text[text.index(after: end)...]
      case "fortran_order" where fortranOrder == nil:
        if text.hasPrefix("False") {
          fortranOrder = false
          text = text.dropFirst(5)
        } else if text.hasPrefix("True") {
          fortranOrder = true
          text = text.dropFirst(4)
        } else {
          throw NumPyError.invalid("fortran_order is not True or False")
        }
      case "shape" where shape == nil:
        guard text.first == "(", let end = text.firstIndex(of: ")") else {
          throw NumPyError.invalid("shape is not a tuple")
        }
        let items = text[text.index(after: text.startIndex)..<end].split(separator: ",")
          .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let dimensions = items.compactMap { Int($0) }
        guard dimensions.count == items.count, dimensions.allSatisfy({ $0 >= 0 }) else {
          throw NumPyError.invalid("shape is not a tuple of non-negative integers")
        }
        shape = dimensions
        text = text[text.index(after: end)...]
      default:
        throw NumPyError.invalid("unexpected or repeated header key '\(key)'")
      }
      skipSpaces()
      if text.isEmpty { break }
      guard text.first == "," else { throw NumPyError.invalid("the header dict lacks ',' after '\(key)'") }
      text = text.dropFirst()
    }
    guard let descr, let fortranOrder, let shape else {
      throw NumPyError.invalid("the header lacks descr, fortran_order or shape")
    }
    return (descr, fortranOrder, shape)
  }
}
