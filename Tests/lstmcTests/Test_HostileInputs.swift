import Foundation
import Testing

/// Hostile inputs (issue 14): each ends in exit 2 with one line on stderr, within seconds, below 500 MB of
/// memory, writing nothing outside the output path. Large ones are generated here, not committed.
@Suite struct HostileInputTests {
  /// One hostile input: the files it needs (written into a fresh folder) and the command that reads them.
  struct Case: CustomStringConvertible, Sendable {
    var name: String
    var message: String
    var description: String { name }
  }

  static let onnxFiles = [
    ("hostile_tensor_2e40.onnx", "dims [1, 1048576, 1048576] exceed lstmc's limit"),
    ("hostile_external_etc_passwd.onnx", "location '/etc/passwd' is absolute"),
    ("hostile_external_parent.onnx", "location '../../x' leads out of the model's folder"),
    ("hostile_external_symlink.onnx", "location 'hostile_link.bin' leads out of the model's folder"),
    ("crash_external_offset.onnx", "at offset 9223372036854775807 lies beyond the end"),
  ]

  /// Copies the committed ONNX file into `folder` (with `hostile_link.bin`, a symbolic link to /etc/passwd).
  static func prepareONNX(_ name: String, in folder: URL) throws -> String {
    let source = CLIRunner.fixtures.appendingPathComponent("bad/onnx/\(name)")
    try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent(name))
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent("hostile_link.bin").path, withDestinationPath: "/etc/passwd")
    return name
  }

  /// Protobuf bytes of a ModelProto whose graph nests `depth` subgraphs (Graph → Node → Attribute → Graph …),
  /// written outside-in from precomputed sizes.
  static func nestedGraphs(depth: Int) -> Data {
    func varintCount(_ value: Int) -> Int {
      var count = 1
      var rest = value >> 7
      while rest > 0 {
        count += 1
        rest >>= 7
      }
      return count
    }
    func varint(_ value: Int, into data: inout Data) {
      var rest = value
      while rest >= 0x80 {
        data.append(UInt8(rest & 0x7F) | 0x80)
        rest >>= 7
      }
      data.append(UInt8(rest))
    }
    // Innermost first: graph k holds node k, which holds attribute k, which holds graph k - 1.
    var graphSize = [0]
    var nodeSize: [Int] = [0]
    var attributeSize: [Int] = [0]
    for level in 1...depth {
      attributeSize.append(1 + varintCount(graphSize[level - 1]) + graphSize[level - 1])
      nodeSize.append(1 + varintCount(attributeSize[level]) + attributeSize[level])
      graphSize.append(1 + varintCount(nodeSize[level]) + nodeSize[level])
    }
    var data = Data([0x08, 0x08])  // ir_version 8
    data.reserveCapacity(graphSize[depth] + 16)
    data.append(0x3A)  // ModelProto.graph
    varint(graphSize[depth], into: &data)
    for level in stride(from: depth, through: 1, by: -1) {
      data.append(0x0A)  // GraphProto.node
      varint(nodeSize[level], into: &data)
      data.append(0x2A)  // NodeProto.attribute
      varint(attributeSize[level], into: &data)
      data.append(0x32)  // AttributeProto.g
      varint(graphSize[level - 1], into: &data)
    }
    return data
  }

  /// A safetensors file: the 8-byte little-endian header length `claimed`, then `header`.
  static func safetensors(claimed: UInt64, header: String) -> Data {
    withUnsafeBytes(of: claimed.littleEndian) { Data($0) } + Data(header.utf8)
  }

  /// Runs `arguments` in `folder` and checks the hostile-input contract; returns stderr.
  @discardableResult
  static func expectRefused(_ arguments: [String], in folder: URL, mentioning message: String) throws -> String {
    let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    let result = try MeasuredRun.run(arguments, in: folder)
    #expect(!result.timedOut, "\(arguments) did not finish")
    #expect(result.status == 2, "\(arguments): status \(result.status): \(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
    #expect(result.stderr.hasPrefix("lstmc: error: "), "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr) should mention \(message)")
    #expect(result.stdout.isEmpty)
    #expect(result.seconds < 10, "\(arguments) took \(result.seconds) s")
    #expect(result.peakMegabytes > 0 && result.peakMegabytes < 500, "\(arguments) used \(result.peakMegabytes) MB")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == before)
    return result.stderr
  }

  static func withFolder(_ body: (URL) throws -> Void) throws {
    let root = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    // The model sits two levels down, so that ../../x would still be inside the temporary folder.
    let folder = root.appendingPathComponent("a/b")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try body(folder)
    #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["a"])
  }

  @Test(arguments: HostileInputTests.onnxFiles.map { $0.0 })
  func onnxFile(name: String) throws {
    let message = Self.onnxFiles.first { $0.0 == name }!.1
    try Self.withFolder { folder in
      let file = try Self.prepareONNX(name, in: folder)
      try Self.expectRefused(["inspect", file], in: folder, mentioning: message)
      try Self.expectRefused(["convert", file, "-o", "out.safetensors"], in: folder, mentioning: message)
    }
  }

  @Test func subgraphsNested100000Deep() throws {
    try Self.withFolder { folder in
      try Self.nestedGraphs(depth: 100_000).write(to: folder.appendingPathComponent("deep.onnx"))
      try Self.expectRefused(["inspect", "deep.onnx"], in: folder, mentioning: "nested more than 16 levels deep")
    }
  }

  @Test func safetensorsHeaderClaiming2To62Bytes() throws {
    try Self.withFolder { folder in
      try Self.safetensors(claimed: 1 << 62, header: "{\"__metadata__\":{}}").write(
        to: folder.appendingPathComponent("big.safetensors"))
      try Self.expectRefused(["inspect", "big.safetensors"], in: folder, mentioning: "unknown model file kind")
    }
  }

  @Test func safetensorsTensorClaiming2To62Bytes() throws {
    try Self.withFolder { folder in
      let header =
        "{\"__metadata__\":{\"format\":\"lstmc-model-1\"},\"w\":{\"dtype\":\"F32\",\"shape\":[1073741824,1073741824],"
        + "\"data_offsets\":[0,4611686018427387904]}}"
      try Self.safetensors(claimed: UInt64(header.utf8.count), header: header).write(
        to: folder.appendingPathComponent("big.safetensors"))
      try Self.expectRefused(["inspect", "big.safetensors"], in: folder, mentioning: "data_offsets")
    }
  }

  /// 100,000,000 bytes is the largest header lstmc reads; such a file is recognised as safetensors
  /// (file-kind detection once stopped one byte short) and refused as truncated without reading 100 MB.
  @Test func safetensorsHeaderClaiming100MBOfJSON() throws {
    try Self.withFolder { folder in
      try Self.safetensors(claimed: 100_000_000, header: "{\"__metadata__\":{}}").write(
        to: folder.appendingPathComponent("big.safetensors"))
      try Self.expectRefused(
        ["inspect", "big.safetensors"], in: folder, mentioning: "header of 100000000 bytes, but the file has")
    }
  }

  @Test func fixtureShapeClaiming10To8ElementsWithThree() throws {
    try Self.withFolder { folder in
      let fixture = """
        {"format": "lstmc-fixture-1", "producer": {"framework": "x", "version": "1"},
         "inputs": [{"name": "x", "dtype": "float32", "shape": [10000, 10000], "data": [1, 2, 3]}],
         "outputs": [{"name": "y", "dtype": "float32", "shape": [1], "data": [1]}]}
        """
      try Data(fixture.utf8).write(to: folder.appendingPathComponent("f.fixture.json"))
      let model = CLIRunner.fixtures.appendingPathComponent("keras/k2_basic.h5").path
      try Self.expectRefused(
        ["run", model, "--input", "f.fixture.json"], in: folder, mentioning: "needs 100000000 values, data has 3")
    }
  }

  @Test func fixtureWhoseDtypeIsANumber() throws {
    try Self.withFolder { folder in
      let fixture = """
        {"format": "lstmc-fixture-1", "producer": {"framework": "x", "version": "1"},
         "inputs": [{"name": "x", "dtype": 1, "shape": [1], "data": [1]}],
         "outputs": [{"name": "y", "dtype": "float32", "shape": [1], "data": [1]}]}
        """
      try Data(fixture.utf8).write(to: folder.appendingPathComponent("f.fixture.json"))
      let model = CLIRunner.fixtures.appendingPathComponent("keras/k2_basic.h5").path
      try Self.expectRefused(["run", model, "--input", "f.fixture.json"], in: folder, mentioning: "dtype is a number")
    }
  }

  @Test func jsonNested1000000Deep() throws {
    try Self.withFolder { folder in
      let depth = 1_000_000
      try (Data(repeating: UInt8(ascii: "["), count: depth) + Data(repeating: UInt8(ascii: "]"), count: depth)).write(
        to: folder.appendingPathComponent("deep.fixture.json"))
      let model = CLIRunner.fixtures.appendingPathComponent("keras/k2_basic.h5").path
      try Self.expectRefused(
        ["run", model, "--input", "deep.fixture.json"], in: folder, mentioning: "not a JSON object")
    }
  }
}
