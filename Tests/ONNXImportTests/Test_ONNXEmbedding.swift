import CanonicalModel
import FixtureFormat
import Foundation
import Testing
import Verification

@testable import ONNXImport

/// A Gather on a weight indexed by the graph's integer input (PyTorch's `nn.Embedding`, Keras'
/// `Embedding` through tf2onnx): what the importer makes of it, and the Gathers it must refuse.
@Suite struct ONNXEmbeddingTests {
  static func file(_ name: String) throws -> ONNXModelFile {
    try ONNXModelFile(contentsOf: ONNXFixtureTests.onnx.appendingPathComponent(name))
  }

  static func load(_ stem: String) throws -> (Fixture, Model) {
    let entry = try #require(ONNXFixtureTests.entries.first { $0.model == stem + ".onnx" })
    return try ONNXFixtureTests.load(entry)
  }

  /// The Gather that reads the embedding table.
  static func embeddingGather(_ file: ONNXModelFile) throws -> Int {
    let weights = Set(file.graph.initializers.filter { $0.dims.count == 2 }.map(\.name))
    return try #require(
      file.graph.nodes.firstIndex { $0.opType == "Gather" && weights.contains($0.inputs.first ?? "") })
  }

  @Test(arguments: ["torch_embed_bf_last", "torch_dynamo_embed_bf_last", "tf2onnx_embedding", "torch_embed_seq_last"])
  func theGatherBecomesAnEmbeddingOnInt32Indices(stem: String) throws {
    let (_, model) = try Self.load(stem)
    #expect(model.layers.map(\.kind.kindName) == ["Embedding", "LSTM", "Dense"])
    #expect(model.inputs.count == 1)
    #expect(model.inputs[0].elementType == .int32)
    #expect(model.inputs[0].shape.count == 2)
    // Time-first indices [seq, batch] keep the file's layout at the boundary.
    let timeFirst = stem.contains("_seq_")
    #expect(model.inputs[0].fileAxes == (timeFirst ? [.canonical(1), .canonical(0)] : nil))
    guard case .embedding(let embedding) = model.layers[0].kind else { return }
    #expect(embedding.vocabularySize == 20 && embedding.dimension == 6 && !embedding.maskZero)
  }

  /// The table read one row off (index i reads row i+1) must fail: the fixtures see every row they index.
  @Test(arguments: ["torch_embed_bf_last", "tf2onnx_embedding"])
  func aShiftedTableFailsVerification(stem: String) throws {
    var (fixture, model) = try Self.load(stem)
    guard case .embedding(var embedding) = model.layers[0].kind else {
      Issue.record("no Embedding layer")
      return
    }
    let d = embedding.dimension
    embedding.table.data = Array(embedding.table.data[d...] + embedding.table.data[..<d])
    model.layers[0].kind = .embedding(embedding)
    let report = try Verifier(model: model).verify(fixture, on: .interpreter, fixtureName: stem)
    #expect(!report.passed)
    // The fixture's indices include 0 and vocabulary - 1.
    let values = fixture.inputs[0].values
    #expect(values.contains(0) && values.contains(19))
    fixture.inputs[0].values[0] = 20
    #expect(throws: (any Error).self) {
      _ = try Verifier(model: model).verify(fixture, on: .interpreter, fixtureName: stem)
    }
  }

  @Test func int64IndicesBeyondInt32AreABadFixture() throws {
    var (fixture, model) = try Self.load("torch_embed_bf_last")
    #expect(fixture.inputs[0].elementType == .int64)
    fixture.inputs[0].values[3] = 3_000_000_000
    do {
      _ = try FixtureBinding(fixture: fixture, model: model)
      Issue.record("an int64 index beyond int32 was accepted")
    } catch let error as FixtureError {
      let text = "\(error)"
      #expect(text.contains("3000000000") && text.contains("int32") && text.contains("'x'"), "\(text)")
      #expect(!text.contains("\n"))
    }
  }

  static func expectRefusal(_ file: ONNXModelFile, node: String, mentioning words: [String]) {
    do {
      _ = try ONNXImporter.importModel(file, fileName: "edited.onnx")
      Issue.record("the edited graph imported")
    } catch let error as ONNXImportError {
      let text = "\(error)"
      #expect(text.contains("'\(node)'") && text.contains("(Gather)") && !text.contains("\n"), "\(text)")
      for word in words { #expect(text.contains(word), "\(text)") }
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test func aGatherOnAWeightAlongAxis1IsRefused() throws {
    var file = try Self.file("torch_embed_bf_last.onnx")
    let index = try Self.embeddingGather(file)
    file.graph.nodes[index].attributes["axis"] = .int(1)
    Self.expectRefusal(
      file, node: file.graph.nodes[index].displayName, mentioning: ["axis 0", "Embedding", "found axis 1"])
  }

  @Test func aGatherWhoseTableIsNotAWeightIsRefused() throws {
    // The table replaced by a runtime tensor (the indices themselves): no longer a weight.
    var file = try Self.file("tf2onnx_embedding.onnx")
    let index = try Self.embeddingGather(file)
    file.graph.nodes[index].inputs[0] = file.graph.nodes[index].inputs[1]
    Self.expectRefusal(file, node: file.graph.nodes[index].displayName, mentioning: ["constant 2-D float table"])
  }

  @Test func aSecondGatherOnAWeightAfterTheChainIsRefused() throws {
    // The classifier's weight gathered by the indices after the LSTM: only the first layer can be an Embedding.
    var file = try Self.file("torch_embed_bf_last.onnx")
    let first = try Self.embeddingGather(file)
    let table = file.graph.nodes[first].inputs[0]
    let gemm = try #require(file.graph.nodes.firstIndex { $0.opType == "Gemm" })
    var extra = file.graph.nodes[first]
    extra.name = "late_gather"
    extra.outputs = ["late"]
    extra.inputs = [table, file.graph.nodes[first].inputs[1]]
    file.graph.nodes.insert(extra, at: gemm)
    Self.expectRefusal(file, node: "late_gather", mentioning: ["first layer", "after other layers"])
  }
}
