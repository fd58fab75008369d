import Foundation
import Testing

@testable import KerasImport

/// `.keras` archives whose members are larger than lstmc reads: refused from the header when it is
/// honest, and as soon as inflating passes the header's size when it lies; nothing is extracted to disk.
@Suite struct KerasArchiveLimitTests {
  static let gigabyte = ZeroDeflateStream.make(inflatingTo: 1 << 30)

  private func importError(_ members: [TestZipWriter.RawMember]) throws -> (KerasImportError?, Double) {
    let directory = try TestZipWriter.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("bomb.keras")
    try TestZipWriter.write(raw: members, to: url)
    let start = Date()
    do {
      _ = try KerasImporter.importModel(at: url)
      return (nil, Date().timeIntervalSince(start))
    } catch let error as KerasImportError {
      #expect(!error.description.contains("\n"))
      return (error, Date().timeIntervalSince(start))
    }
  }

  @Test func deflateStreamInflatesToWhatItSays() throws {
    let small = ZeroDeflateStream.make(inflatingTo: 5000)
    let directory = try TestZipWriter.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("zeros.zip")
    let zeros = Data(count: small.size)
    try TestZipWriter.write(
      raw: [
        .init(
          name: "config.json", method: 8, payload: small.stream, uncompressedSize: UInt32(small.size),
          crc: TestZipWriter.crc32(zeros))
      ], to: url)
    #expect(try KerasArchive(url: url).data(of: "config.json") == zeros)
  }

  @Test("config.json inflating to 1 GiB behind a header that says 100 bytes stops at byte 101")
  func lyingHeaderStopsEarly() throws {
    let (error, seconds) = try importError([
      .init(name: "config.json", method: 8, payload: Self.gigabyte.stream, uncompressedSize: 100, crc: 0)
    ])
    #expect(
      error?.description.contains("'config.json' is larger than its zip header says") == true,
      "\(String(describing: error))")
    #expect(seconds < 2, "took \(seconds) s")
  }

  @Test("config.json whose header honestly says 1 GiB is refused without inflating it")
  func honestHeaderIsRefusedUpFront() throws {
    let (error, seconds) = try importError([
      .init(
        name: "config.json", method: 8, payload: Self.gigabyte.stream, uncompressedSize: UInt32(Self.gigabyte.size),
        crc: 0)
    ])
    #expect(
      error?.description.contains("'config.json' is larger than 67108864 bytes") == true, "\(String(describing: error))"
    )
    #expect(seconds < 2, "took \(seconds) s")
  }

  @Test("a member named ../../x is never written anywhere")
  func traversalNameWritesNothing() throws {
    let directory = try TestZipWriter.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let inner = directory.appendingPathComponent("a/b")
    try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
    let source = try KerasArchive(url: FixtureFiles.keras("k3_basic.keras"))
    var members: [(String, Data)] = [("../../x", Data("escaped".utf8))]
    for name in ["config.json", "metadata.json", "model.weights.h5"] {
      members.append((name, try #require(try source.data(of: name))))
    }
    let url = inner.appendingPathComponent("model.keras")
    try TestZipWriter.write(members, to: url)
    _ = try KerasImporter.importModel(at: url)
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("x").path))
    #expect(try FileManager.default.contentsOfDirectory(atPath: inner.path) == ["model.keras"])
  }
}
