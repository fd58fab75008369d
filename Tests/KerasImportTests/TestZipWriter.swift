import Foundation

/// Writes minimal zip archives (stored, uncompressed) for building broken
/// `.keras` files in tests.
enum TestZipWriter {
  /// One member as it is stored: its bytes (deflated when `method` is 8) and what its headers claim.
  struct RawMember {
    var name: String
    /// 0 stored, 8 deflated.
    var method: UInt16
    var payload: Data
    var uncompressedSize: UInt32
    var crc: UInt32
  }

  /// Writes `members` (in order, stored) to a new zip file at `url`.
  static func write(_ members: [(String, Data)], to url: URL) throws {
    try write(
      raw: members.map {
        RawMember(name: $0.0, method: 0, payload: $0.1, uncompressedSize: UInt32($0.1.count), crc: crc32($0.1))
      }, to: url)
  }

  /// Writes `members` exactly as given, headers included (which may lie about the sizes).
  static func write(raw members: [RawMember], to url: URL) throws {
    var out = Data()
    var central = Data()
    for member in members {
      let (name, data, crc) = (member.name, member.payload, member.crc)
      let offset = UInt32(out.count)
      let nameBytes = Data(name.utf8)
      var local = Data()
      local.append(le32(0x0403_4B50))
      local.append(le16(20))  // version needed
      local.append(le16(0))  // flags
      local.append(le16(member.method))
      local.append(le16(0))  // time
      local.append(le16(0x21))  // date (1980-01-01)
      local.append(le32(crc))
      local.append(le32(UInt32(data.count)))
      local.append(le32(member.uncompressedSize))
      local.append(le16(UInt16(nameBytes.count)))
      local.append(le16(0))
      local.append(nameBytes)
      out.append(local)
      out.append(data)

      central.append(le32(0x0201_4B50))
      central.append(le16(20))  // version made by
      central.append(le16(20))
      central.append(le16(0))
      central.append(le16(member.method))
      central.append(le16(0))
      central.append(le16(0x21))
      central.append(le32(crc))
      central.append(le32(UInt32(data.count)))
      central.append(le32(member.uncompressedSize))
      central.append(le16(UInt16(nameBytes.count)))
      central.append(le16(0))  // extra
      central.append(le16(0))  // comment
      central.append(le16(0))  // disk
      central.append(le16(0))  // internal attributes
      central.append(le32(0o100644 << 16))  // external attributes: regular file
      central.append(le32(offset))
      central.append(nameBytes)
    }
    let centralOffset = UInt32(out.count)
    out.append(central)
    out.append(le32(0x0605_4B50))
    out.append(le16(0))
    out.append(le16(0))
    out.append(le16(UInt16(members.count)))
    out.append(le16(UInt16(members.count)))
    out.append(le32(UInt32(central.count)))
    out.append(le32(centralOffset))
    out.append(le16(0))
    try out.write(to: url)
  }

  private static func le16(_ value: UInt16) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }
  private static func le32(_ value: UInt32) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }

  static func crc32(_ data: Data) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  /// A fresh temporary directory, removed by the caller.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-keras-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
