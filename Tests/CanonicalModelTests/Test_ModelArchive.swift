import CanonicalModel
import Foundation
import Testing

@Suite struct ModelArchiveTests {
  @Test func roundTripIsBitExact() throws {
    var model = ModelFactory.everything()
    // Values a lossy float path would change: negative zero, a subnormal, extremes.
    if case .lstm(var lstm) = model.layers[2].kind {
      lstm.weights.cell.W.data[0] = -0.0
      lstm.weights.cell.W.data[1] = Float.leastNonzeroMagnitude
      lstm.weights.cell.W.data[2] = Float.greatestFiniteMagnitude
      lstm.weights.cell.W.data[3] = 0.1
      model.layers[2].kind = .lstm(lstm)
    }
    let data = try ModelArchive.encode(model)
    let reloaded = try ModelArchive.decode(data)
    #expect(reloaded == model)
    if case .lstm(let lstm) = reloaded.layers[2].kind {
      #expect(lstm.weights.cell.W.data[0].bitPattern == (-0.0 as Float).bitPattern)
      #expect(lstm.weights.cell.W.data[1] == Float.leastNonzeroMagnitude)
    } else {
      Issue.record("layer 2 is no longer an LSTM")
    }
    // Writing the reloaded model gives the same bytes: the file is deterministic.
    #expect(try ModelArchive.encode(reloaded) == data)
    #expect(try ModelArchive.decode(ModelArchive.encode(ModelFactory.embedding())) == ModelFactory.embedding())
  }

  @Test func tensorsAreNamedByLayerDirectionGateAndRole() throws {
    let file = try SafetensorsFile(data: try ModelArchive.encode(ModelFactory.everything()))
    #expect(file.metadata["format"] == "lstmc-model-1")
    let names = Set(file.tensors.map(\.name))
    for direction in ["forward", "backward"] {
      for gate in ["input", "forget", "cell", "output"] {
        for role in ["W", "U", "b"] { #expect(names.contains("layers.1.\(direction).\(gate).\(role)")) }
      }
    }
    #expect(names.contains("layers.2.forward.forget.P"))
    #expect(!names.contains("layers.2.forward.cell.P"))
    #expect(names.contains("layers.4.backward.output.U"))
    #expect(names.contains("layers.3.kernel") && !names.contains("layers.3.bias"))
    #expect(file.tensor(named: "layers.1.backward.forget.W")?.shape == [4, 3])
    // The architecture entry is plain JSON that other tools can read.
    let architecture = try #require(file.metadata["architecture"])
    let object = try JSONSerialization.jsonObject(with: Data(architecture.utf8)) as? [String: Any]
    #expect((object?["layers"] as? [Any])?.count == 7)
  }

  @Test func gruRoundTripIsBitExactAndNamedByGate() throws {
    var model = ModelFactory.gruStack()
    if case .gru(var gru) = model.layers[1].kind {
      gru.weights.candidateRecurrentBias.data[0] = -0.0
      gru.weights.candidate.U.data[1] = Float.leastNonzeroMagnitude
      model.layers[1].kind = .gru(gru)
    }
    try model.validate()
    let data = try ModelArchive.encode(model)
    let reloaded = try ModelArchive.decode(data)
    #expect(reloaded == model)
    #expect(try ModelArchive.encode(reloaded) == data)
    let file = try SafetensorsFile(data: data)
    let names = Set(file.tensors.map(\.name))
    for direction in ["forward", "backward"] {
      for gate in ["update", "reset", "candidate"] {
        for role in ["W", "U", "b"] { #expect(names.contains("layers.0.\(direction).\(gate).\(role)")) }
      }
      #expect(names.contains("layers.0.\(direction).candidate.bU"))
    }
    #expect(names.contains("layers.1.forward.initial_h") && names.contains("layers.1.forward.sequence_lengths"))
    #expect(!names.contains { $0.hasPrefix("layers.1.") && $0.contains("initial_c") })
    #expect(file.tensor(named: "layers.0.backward.candidate.bU")?.shape == [4])
  }

  @Test func gruHasNoCellState() throws {
    var model = ModelFactory.gruStack()
    model.outputs.append(ModelOutput(name: "c", layer: 1, port: .cellState(.forward)))
    #expect(throws: ModelValidationError.self) { try model.validate() }
    model = ModelFactory.gruStack()
    model.outputs.append(ModelOutput(name: "c_all", layer: 0, port: .cellStates))
    #expect(throws: ModelValidationError.self) { try model.validate() }
    model = ModelFactory.gruStack()
    model.inputs.append(
      ModelInput(name: "c0", elementType: .float32, shape: [2, 8], role: .initialCellState(layer: 0)))
    #expect(throws: ModelValidationError.self) { try model.validate() }
  }

  @Test func headerFollowsTheSafetensorsLayout() throws {
    let data = try ModelArchive.encode(ModelFactory.embedding())
    let bytes = [UInt8](data)
    let length = (0..<8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[$1]) }
    #expect(length % 8 == 0)
    let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + Int(length))])) as? [String: Any]
    let table = try #require(header?["layers.0.table"] as? [String: Any])
    #expect(table["dtype"] as? String == "F32")
    #expect((table["shape"] as? [Int]) == [10, 4])
    #expect((table["data_offsets"] as? [Int]) == [0, 160])
    // Little-endian float32 data right after the header.
    let first =
      UInt32(bytes[8 + Int(length)]) | UInt32(bytes[9 + Int(length)]) << 8
      | UInt32(bytes[10 + Int(length)]) << 16 | UInt32(bytes[11 + Int(length)]) << 24
    guard case .embedding(let embedding) = ModelFactory.embedding().layers[0].kind else { return }
    #expect(Float(bitPattern: first) == embedding.table.data[0])
  }

  @Test func corruptFilesAreRejectedWithReasons() throws {
    let good = [UInt8](try ModelArchive.encode(ModelFactory.embedding()))
    #expect(throws: SafetensorsError.self) { try ModelArchive.decode(Data(good.prefix(5))) }
    #expect(throws: SafetensorsError.self) { try ModelArchive.decode(Data(good.prefix(good.count - 4))) }
    var hugeHeader = good
    hugeHeader[7] = 0x7F
    #expect(throws: SafetensorsError.self) { try ModelArchive.decode(Data(hugeHeader)) }
    var notJSON = good
    notJSON[8] = UInt8(ascii: "[")
    #expect(throws: SafetensorsError.self) { try ModelArchive.decode(Data(notJSON)) }
    for index in 0..<good.count where index % 7 == 0 {
      var mutated = good
      mutated[index] ^= 0x5A
      _ = try? ModelArchive.decode(Data(mutated))  // must not crash, whatever it says
    }
  }

  @Test func foreignSafetensorsFilesAreNotModels() throws {
    let plain = SafetensorsFile(metadata: ["format": "pt"], tensors: [("weight", Tensor(shape: [2], data: [1, 2]))])
    #expect(throws: SafetensorsError.notAnLSTMCModel("its metadata says format \"pt\"")) {
      try ModelArchive.decode(try plain.encoded())
    }
    let reparsed = try SafetensorsFile(data: try plain.encoded())
    #expect(reparsed == plain)
  }

  @Test func writeIsAtomicAndReadable() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-archive-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("m.safetensors")
    try ModelArchive.write(ModelFactory.everything(), to: url)
    #expect(try ModelArchive.read(from: url) == ModelFactory.everything())
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["m.safetensors"])
  }
}
