import Foundation

/// A raw deflate stream (RFC 1951) that inflates to a run of zero bytes, built without a compressor:
/// fixed-Huffman blocks of six "copy 258 bytes from distance 1" matches, 11 bytes each (140:1).
enum ZeroDeflateStream {
  /// The stream and the number of zero bytes it inflates to (at least `bytes`).
  static func make(inflatingTo bytes: Int) -> (stream: Data, size: Int) {
    let perBlock = 6 * 258
    let middle = max(0, (bytes - 1 - perBlock + perBlock - 1) / perBlock)
    var first = BitWriter()
    first.bits(0, 1)  // BFINAL 0
    first.bits(1, 2)  // BTYPE fixed Huffman
    first.code(0x30, 8)  // literal 0
    first.matches()
    first.code(0, 7)  // end of block: 3 + 8 + 78 + 7 = 96 bits
    var block = BitWriter()
    block.bits(0, 1)
    block.bits(1, 2)
    block.matches()
    block.code(0, 7)  // 3 + 78 + 7 = 88 bits
    var last = BitWriter()
    last.bits(1, 1)  // BFINAL 1
    last.bits(1, 2)
    last.code(0, 7)
    var stream = first.data
    stream.reserveCapacity(stream.count + middle * block.data.count + 2)
    for _ in 0..<middle { stream.append(block.data) }
    stream.append(last.data)
    return (stream, 1 + perBlock * (middle + 1))
  }

  /// Bits in deflate order: least significant first, Huffman codes most significant first.
  private struct BitWriter {
    var data = Data()
    var filled = 8

    mutating func bits(_ value: UInt32, _ count: Int) {
      for index in 0..<count { bit((value >> UInt32(index)) & 1) }
    }

    mutating func code(_ value: UInt32, _ count: Int) {
      for index in (0..<count).reversed() { bit((value >> UInt32(index)) & 1) }
    }

    /// Six matches of length 258 (code 285) at distance 1 (distance code 0).
    mutating func matches() {
      for _ in 0..<6 {
        code(0xC5, 8)
        code(0, 5)
      }
    }

    private mutating func bit(_ value: UInt32) {
      if filled == 8 {
        data.append(0)
        filled = 0
      }
      data[data.count - 1] |= UInt8(value) << UInt8(filled)
      filled += 1
    }
  }
}
