/// A minimal zip writer for stored (uncompressed) entries: enough to wrap fuzzed `config.json`
/// bytes into a valid `.keras` archive many thousand times a second. Entries given once as
/// ``prefix`` keep their bytes; only the last entry and the central directory are written per input.
struct StoredZip {
  private struct Entry {
    var name: [UInt8]
    var crc: UInt32
    var size: UInt32
    var offset: UInt32
  }

  private var bytes: [UInt8] = []
  private var entries: [Entry] = []

  /// Appends a stored entry.
  mutating func add(_ name: String, _ data: [UInt8]) {
    let entry = Entry(
      name: Array(name.utf8), crc: Self.crc32(data), size: UInt32(data.count), offset: UInt32(bytes.count))
    Self.put32(&bytes, 0x0403_4b50)
    Self.header(&bytes, entry)
    Self.put16(&bytes, 0)  // extra field length
    bytes += entry.name
    bytes += data
    entries.append(entry)
  }

  /// The archive: the entries so far, their central directory and its end record.
  var archive: [UInt8] {
    var out = bytes
    let directoryStart = UInt32(out.count)
    for entry in entries {
      Self.put32(&out, 0x0201_4b50)
      Self.put16(&out, 20)  // made by
      Self.header(&out, entry)
      Self.put16(&out, 0)  // extra field length
      Self.put16(&out, 0)  // comment length
      Self.put16(&out, 0)  // disk number
      Self.put16(&out, 0)  // internal attributes
      Self.put32(&out, 0)  // external attributes
      Self.put32(&out, entry.offset)
      out += entry.name
    }
    let directorySize = UInt32(out.count) - directoryStart
    Self.put32(&out, 0x0605_4b50)
    Self.put16(&out, 0)
    Self.put16(&out, 0)
    Self.put16(&out, UInt16(entries.count))
    Self.put16(&out, UInt16(entries.count))
    Self.put32(&out, directorySize)
    Self.put32(&out, directoryStart)
    Self.put16(&out, 0)  // comment length
    return out
  }

  /// The fields local and central headers share, from "version needed" to the name length.
  private static func header(_ out: inout [UInt8], _ entry: Entry) {
    put16(&out, 20)  // version needed
    put16(&out, 0)  // flags
    put16(&out, 0)  // stored
    put16(&out, 0)  // time
    put16(&out, 0x21)  // date: 1980-01-01
    put32(&out, entry.crc)
    put32(&out, entry.size)
    put32(&out, entry.size)
    put16(&out, UInt16(entry.name.count))
  }

  private static func put16(_ out: inout [UInt8], _ value: UInt16) {
    out += [UInt8(value & 0xff), UInt8(value >> 8)]
  }

  private static func put32(_ out: inout [UInt8], _ value: UInt32) {
    put16(&out, UInt16(value & 0xffff))
    put16(&out, UInt16(value >> 16))
  }

  private static let table: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
    return value
  }

  /// CRC-32 (ISO-HDLC), as zip stores it.
  static func crc32(_ data: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xffff_ffff
    for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
    return ~crc
  }
}
