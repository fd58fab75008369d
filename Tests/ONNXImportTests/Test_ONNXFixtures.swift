import CanonicalModel
import FixtureFormat
import Foundation
import Testing
import Verification

@testable import ONNXImport

/// Every fixture in `Fixtures/onnx/manifest.json`, imported and verified on the interpreter.
@Suite struct ONNXFixtureTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let onnx = root.appendingPathComponent("Fixtures/onnx")
  static let bad = root.appendingPathComponent("Fixtures/bad/onnx")

  struct Entry: Decodable, CustomTestStringConvertible, Sendable {
    var fixture: String
    var model: String
    var exporter: String
    var covers: [String]
    var testDescription: String { model }
    /// Whether the model has a GRU node (the manifest says `gru_op`).
    var hasGRU: Bool { covers.contains("gru_op") }
    /// Whether the model has an LSTM node.
    var hasLSTM: Bool { covers.contains("lstm_op") }
  }

  static let entries: [Entry] = {
    guard let data = try? Data(contentsOf: onnx.appendingPathComponent("manifest.json")),
      let entries = try? JSONDecoder().decode([Entry].self, from: data)
    else { return [] }
    return entries
  }()

  /// Fixtures not supported yet, each with the node kind that stops it. Importing
  /// them must fail with an error naming the node lstmc cannot map.
  static let notSupportedYet: [String: String] = [:]

  static func isSupported(_ entry: Entry) -> Bool { notSupportedYet[entry.model] == nil }

  static let supported = entries.filter(isSupported)
  static let unsupported = entries.filter { !isSupported($0) }

  static func load(_ entry: Entry) throws -> (Fixture, Model) {
    let model = try ONNXImporter.importModel(at: onnx.appendingPathComponent(entry.model))
    let fixture = try Fixture(contentsOf: onnx.appendingPathComponent(entry.fixture))
    return (fixture, model)
  }

  @Test func manifestIsReadAndSplit() {
    #expect(Self.entries.count == 98)
    #expect(Self.supported.count == 98)
    #expect(Self.entries.filter(\.hasGRU).count == 41)
    #expect(Set(Self.unsupported.map(\.model)) == Set(Self.notSupportedYet.keys))
  }

  @Test(arguments: supported)
  func verifiesOnTheInterpreter(entry: Entry) throws {
    let (fixture, model) = try Self.load(entry)
    let report = try Verifier(model: model).verify(fixture, on: .interpreter, fixtureName: entry.fixture)
    #expect(report.passed, "\(ReportFormatter.text([report]))")
  }

  @Test(arguments: supported)
  func safetensorsRoundTripIsExactAndStillVerifies(entry: Entry) throws {
    let (fixture, model) = try Self.load(entry)
    let data = try ModelArchive.encode(model)
    let reloaded = try ModelArchive.decode(data)
    #expect(reloaded == model)
    #expect(try ModelArchive.encode(reloaded) == data)
    let report = try Verifier(model: reloaded).verify(fixture, on: .interpreter, fixtureName: entry.fixture)
    #expect(report.passed, "\(ReportFormatter.text([report]))")
  }

  /// ONNX's order (i, o, f, c) read as canonical, and a plain swap: the fixtures must catch both.
  @Test(arguments: supported.filter(\.hasLSTM))
  func permutedGatesFailVerification(entry: Entry) throws {
    let (fixture, model) = try Self.load(entry)
    for permutation in [[Gate.input, .output, .forget, .cell], [.forget, .input, .cell, .output]] {
      var permuted = model
      for index in permuted.layers.indices {
        switch permuted.layers[index].kind {
        case .lstm(let lstm):
          permuted.layers[index].kind = .lstm(Self.permute(lstm, permutation))
        case .bidirectional(var bi):
          guard let forward = bi.forward.lstm, let backward = bi.backward.lstm else { continue }
          bi.forward = .lstm(Self.permute(forward, permutation))
          bi.backward = .lstm(Self.permute(backward, permutation))
          permuted.layers[index].kind = .bidirectional(bi)
        default: break
        }
      }
      let report = try Verifier(model: permuted).verify(fixture, on: .interpreter, fixtureName: entry.fixture)
      #expect(!report.passed, "gates permuted as \(permutation.map(\.rawValue)) still pass \(entry.model)")
    }
  }

  static func permute(_ lstm: LSTMLayer, _ order: [Gate]) -> LSTMLayer {
    var result = lstm
    for (gate, source) in zip(Gate.allCases, order) { result.weights[gate] = lstm.weights[source] }
    // Peepholes travel with their gate (the cell has none).
    var peepholes: [Gate: Tensor] = [:]
    for (gate, source) in zip(Gate.allCases, order) where lstm.weights.peepholes[source] != nil && gate != .cell {
      peepholes[gate] = lstm.weights.peepholes[source]
    }
    result.weights.peepholes = peepholes
    return result
  }

  @Test func unsupportedExportsFailWithAClearError() throws {
    for entry in Self.unsupported { try Self.expectClearError(entry) }
  }

  static func expectClearError(_ entry: Entry) throws {
    do {
      _ = try Self.load(entry)
      Issue.record("\(entry.model) imported, but it is listed as not supported yet")
    } catch let error as ONNXImportError {
      switch error {
      case .unsupportedOp(let opType, let node, let supported):
        #expect(opType == Self.notSupportedYet[entry.model] && !node.isEmpty && supported.contains("LSTM"))
      case .unsupportedGraph(let reason):
        #expect(reason.contains("(\(Self.notSupportedYet[entry.model] ?? "?"))"), "\(reason)")
      default: Issue.record("unexpected error for \(entry.model): \(error)")
      }
    }
  }

  @Test func importedModelsUseTheFileLayoutAtTheBoundary() throws {
    let entry = try #require(Self.entries.first { $0.model == "h_seqlens_bidi.onnx" })
    let (_, model) = try Self.load(entry)
    #expect(model.inputs.map(\.name) == ["X", "sequence_lens", "initial_h", "initial_c"])
    #expect(
      model.inputs.map(\.effectiveRole) == [
        .sequence, .sequenceLengths, .initialHiddenState(layer: 0), .initialCellState(layer: 0),
      ])
    #expect(model.inputs[0].fileShape == [nil, nil, 3] || model.inputs[0].fileShape.count == 3)
    #expect(model.outputs.map(\.port) == [.output, .hiddenStates, .cellStates])
    guard case .bidirectional(let bi) = model.layers[0].kind else {
      Issue.record("expected a Bidirectional layer")
      return
    }
    #expect(bi.mergeMode == .concat && bi.backward.outputOrder == .input && bi.forward.zeroOutputForMask)
  }
}

/// The ONNX test-data convention: `<stem>/model.onnx` with `test_data_set_0/`.
@Suite struct ONNXTestDataSetTests {
  static let folders: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: ONNXFixtureTests.onnx.path)) ?? []
    return names.filter {
      FileManager.default.fileExists(
        atPath: ONNXFixtureTests.onnx.appendingPathComponent("\($0)/test_data_set_0").path)
    }.sorted()
  }()

  @Test func fiveModelsComeWithTestData() {
    #expect(
      Self.folders == [
        "h_gru_seqlens_bidi", "h_seqlens_bidi", "tf2onnx_basic", "torch_gru_l2_bf_last_h0", "torch_l2_bf_last_h0",
      ])
  }

  @Test(arguments: folders)
  func testDataSetVerifiesLikeTheJSONFixture(stem: String) throws {
    let folder = ONNXFixtureTests.onnx.appendingPathComponent(stem)
    let fixture = try Fixture(contentsOf: folder.appendingPathComponent("test_data_set_0"))
    let json = try Fixture(contentsOf: ONNXFixtureTests.onnx.appendingPathComponent("\(stem).fixture.json"))
    #expect(fixture.inputs.map(\.shape) == json.inputs.map(\.shape))
    #expect(fixture.outputs.map(\.shape) == json.outputs.map(\.shape))
    guard ONNXFixtureTests.notSupportedYet["\(stem).onnx"] == nil else {
      #expect(throws: ONNXImportError.self) {
        try ONNXImporter.importModel(at: folder.appendingPathComponent("model.onnx"))
      }
      return
    }
    let model = try ONNXImporter.importModel(at: folder.appendingPathComponent("model.onnx"))
    let report = try Verifier(model: model).verify(fixture, on: .interpreter, fixtureName: stem)
    #expect(report.passed, "\(ReportFormatter.text([report]))")
  }

  @Test func aFolderWithoutTensorsIsABadFixture() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-tds-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(throws: FixtureError.self) { try Fixture(contentsOf: folder) }
  }
}
