import Foundation
import Testing

@testable import ONNXImport

@Suite struct ONNXDecoderTests {
  static func write(_ data: Data, name: String = "model.onnx", in folder: URL) throws -> URL {
    let url = folder.appendingPathComponent(name)
    try data.write(to: url)
    return url
  }

  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-onnx-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static let lstmGraph = ONNXBuilder.model { graph in
    // node 1: inputs X, W, R, B; outputs Y, Y_h; op_type 4; attributes 5.
    graph.message(1) { node in
      for input in ["X", "W", "R", "B"] { node.string(1, input) }
      node.string(2, "Y")
      node.string(2, "")
      node.string(2, "Y_c")
      node.string(3, "lstm_0")
      node.string(4, "LSTM")
      node.message(5) { attribute in
        attribute.string(1, "hidden_size")
        attribute.int(3, 2)
        attribute.int(20, 2)
      }
      node.message(5) { attribute in
        attribute.string(1, "activations")
        attribute.bytes(9, Array("Sigmoid".utf8))
        attribute.bytes(9, Array("Tanh".utf8))
        attribute.bytes(9, Array("Tanh".utf8))
        attribute.int(20, 8)
      }
      node.message(5) { attribute in
        attribute.string(1, "clip")
        attribute.float(2, 2.5)
        attribute.int(20, 1)
      }
    }
    graph.string(2, "main")
    graph.message(
      5, ONNXBuilder.tensor(name: "W", dims: [1, 8, 3], dataType: 1, floats: (0..<24).map { Float($0) / 8 }))
    let r: [Float] = (0..<16).map { -Float($0) }
    graph.message(
      5,
      ONNXBuilder.tensor(
        name: "R", dims: [1, 8, 2], dataType: 1,
        raw: r.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }))
    graph.message(
      5, ONNXBuilder.tensor(name: "B", dims: [1, 16], dataType: 11, doubles: (0..<16).map { Double($0) * 0.5 }))
    graph.message(11, ONNXBuilder.valueInfo("X", dims: ["seq", "batch", 3]))
    graph.message(12, ONNXBuilder.valueInfo("Y", dims: ["seq", 1, "batch", 2]))
  }

  @Test func decodesNodesAttributesInitializersAndShapes() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try ONNXModelFile(contentsOf: try Self.write(Self.lstmGraph, in: folder))
    #expect(model.irVersion == 8)
    #expect(model.opset == 14)
    #expect(model.producerName == "lstmc-tests")
    let node = try #require(model.graph.nodes.first)
    #expect(node.opType == "LSTM" && node.name == "lstm_0")
    #expect(node.inputs == ["X", "W", "R", "B"])
    #expect(node.outputs == ["Y", "", "Y_c"])
    #expect(node.attributes["hidden_size"] == .int(2))
    #expect(node.attributes["activations"] == .strings(["Sigmoid", "Tanh", "Tanh"]))
    #expect(node.attributes["clip"] == .float(2.5))
    let w = try #require(model.graph.initializer(named: "W"))
    #expect(w.dims == [1, 8, 3] && w.floats[23] == 23.0 / 8)
    #expect(model.graph.initializer(named: "R")?.floats[15] == -15)
    #expect(model.graph.initializer(named: "B")?.floats[3] == 1.5)
    #expect(
      model.graph.inputs == [
        ONNXValueInfo(name: "X", elementType: .float, shape: [.parameter("seq"), .parameter("batch"), .value(3)])
      ])
    #expect(model.graph.runtimeInputs.map(\.name) == ["X"])
  }

  @Test func widensHalfAndBFloat16Exactly() throws {
    #expect(TensorPayload.half(0x3C00) == 1)
    #expect(TensorPayload.half(0xC000) == -2)
    #expect(TensorPayload.half(0x7BFF) == 65504)
    #expect(TensorPayload.half(0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
    #expect(TensorPayload.half(0x7C00) == .infinity)
    #expect(TensorPayload.half(0x7E00).isNaN)
    #expect(TensorPayload.half(0x8000).bitPattern == (-0.0 as Float).bitPattern)
    var writer = ProtobufWriter()
    ONNXBuilder.tensor(name: "h", dims: [3], dataType: 10, raw: [0x00, 0x3C, 0x00, 0xC0, 0x55, 0x35])(&writer)
    let half = try ONNXDecoder(limits: .default, folder: URL(fileURLWithPath: "/")).decodeTensor(writer.data)
    #expect(half.floats == [1, -2, 0.333251953125])
    writer = ProtobufWriter()
    ONNXBuilder.tensor(name: "b", dims: [2], dataType: 16, int32: [0x3F80, 0xC0A0])(&writer)
    let bfloat = try ONNXDecoder(limits: .default, folder: URL(fileURLWithPath: "/")).decodeTensor(writer.data)
    #expect(bfloat.floats == [1, -5])
    writer = ProtobufWriter()
    ONNXBuilder.tensor(name: "i", dims: [2], dataType: 7, int64: [-3, 1 << 40])(&writer)
    let ints = try ONNXDecoder(limits: .default, folder: URL(fileURLWithPath: "/")).decodeTensor(writer.data)
    #expect(ints.integers == [-3, 1 << 40])
  }

  @Test func malformedTensorsAreRejected() {
    let cases: [((inout ProtobufWriter) -> Void, String)] = [
      (ONNXBuilder.tensor(name: "t", dims: [2, 3], dataType: 1, floats: [1, 2, 3]), "holds 3"),
      (ONNXBuilder.tensor(name: "t", dims: [2], dataType: 1, raw: [0, 0, 128, 63, 0]), "raw data has 5"),
      (ONNXBuilder.tensor(name: "t", dims: [2], dataType: 1), "no data"),
      (ONNXBuilder.tensor(name: "t", dims: [1], dataType: 8), "data type string"),
      (ONNXBuilder.tensor(name: "t", dims: [1 << 20, 1 << 20], dataType: 1), "exceed"),
    ]
    for (build, message) in cases {
      var writer = ProtobufWriter()
      build(&writer)
      #expect {
        try ONNXDecoder(limits: .default, folder: URL(fileURLWithPath: "/")).decodeTensor(writer.data)
      } throws: { error in
        "\(error)".contains(message)
      }
    }
  }

  @Test func truncatedAndForeignBytesAreNotModels() throws {
    let decoder = ONNXDecoder(limits: .default, folder: URL(fileURLWithPath: "/"))
    let model = Self.lstmGraph
    #expect(throws: ONNXImportError.notAModel("the protobuf data is truncated or corrupt")) {
      try decoder.decodeModel(model.prefix(model.count / 2))
    }
    #expect(throws: ONNXImportError.self) { try decoder.decodeModel(Data("{\"format\": \"json\"}".utf8)) }
    #expect(throws: ONNXImportError.notAModel("the file is empty")) { try decoder.decodeModel(Data()) }
    var state: UInt64 = 0x2545_F491_4F6C_DD1D  // a fixed seed: the same damage every run
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33)
    }
    for _ in 0..<500 {
      var bytes = [UInt8](model)
      for _ in 0..<3 { bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next()) }
      _ = try? decoder.decodeModel(Data(bytes))  // must not crash, whatever it decides
    }
  }

  @Test func deeplyNestedSubgraphsAreRefusedBeforeDecoding() throws {
    // Graph → Node(Loop) → Attribute(body) → Graph → … 10,000 levels deep.
    var inner: [UInt8] = []
    for _ in 0..<10_000 {
      var attribute = ProtobufWriter()
      attribute.string(1, "body")
      attribute.bytes(6, inner)
      var node = ProtobufWriter()
      node.string(4, "Loop")
      node.bytes(5, attribute.bytes)
      var graph = ProtobufWriter()
      graph.bytes(1, node.bytes)
      inner = graph.bytes
    }
    var model = ProtobufWriter()
    model.int(1, 8)
    model.bytes(7, inner)
    #expect(throws: ONNXImportError.graphTooDeep(limit: 16)) {
      try ONNXDecoder(limits: .default, folder: URL(fileURLWithPath: "/")).decodeModel(model.data)
    }
  }

  @Test func externalDataIsReadInsideTheModelFolderOnly() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let values: [Float] = [0.5, -1.25, 3]
    var blob = [UInt8](repeating: 0xEE, count: 16)
    blob += values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
    try Data(blob).write(to: folder.appendingPathComponent("weights.bin"))
    func model(_ external: [String: String]) -> Data {
      ONNXBuilder.model { graph in
        graph.message(5, ONNXBuilder.tensor(name: "W", dims: [3], dataType: 1, external: external))
      }
    }
    let good = try ONNXModelFile(
      contentsOf: try Self.write(
        model(["location": "weights.bin", "offset": "16", "length": "12"]), in: folder))
    #expect(good.graph.initializer(named: "W")?.floats == values)
    let cases: [([String: String], String)] = [
      (["location": "../outside.bin"], "leads out of the model's folder"),
      (["location": "/etc/passwd"], "is absolute"),
      (["location": "missing.bin"], "cannot be opened"),
      (["location": "weights.bin", "offset": "20"], "beyond the end"),
      (["location": "weights.bin", "length": "8"], "need 12"),
      (["offset": "0"], "has no 'location'"),
    ]
    for (index, (external, message)) in cases.enumerated() {
      let url = try Self.write(model(external), name: "m\(index).onnx", in: folder)
      #expect {
        try ONNXModelFile(contentsOf: url)
      } throws: { error in
        "\(error)".contains(message)
      }
    }
    // A symbolic link inside the folder that points outside it is refused too.
    let outside = try Self.folder()
    defer { try? FileManager.default.removeItem(at: outside) }
    try Data(blob).write(to: outside.appendingPathComponent("real.bin"))
    try FileManager.default.createSymbolicLink(
      at: folder.appendingPathComponent("link.bin"), withDestinationURL: outside.appendingPathComponent("real.bin"))
    let linked = try Self.write(model(["location": "link.bin", "offset": "16"]), name: "linked.onnx", in: folder)
    #expect(throws: ONNXImportError.self) { try ONNXModelFile(contentsOf: linked) }
  }

  @Test func tensorFilesOfTheTestDataConventionDecode() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var writer = ProtobufWriter()
    ONNXBuilder.tensor(name: "input", dims: [2, 2], dataType: 1, floats: [1, 2, 3, 4])(&writer)
    let url = try Self.write(writer.data, name: "input_0.pb", in: folder)
    let tensor = try ONNXTensorFile.read(url)
    #expect(tensor.name == "input" && tensor.dims == [2, 2] && tensor.asTensor.data == [1, 2, 3, 4])
  }
}
