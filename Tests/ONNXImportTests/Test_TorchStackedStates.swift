import CanonicalModel
import Foundation
import Testing

@testable import ONNXImport

/// PyTorch's multi-layer `h0`/`c0` sliced per layer and `h_n`/`c_n` concatenated, and `y[:, -1]`
/// after a bidirectional LSTM: what the importer makes of them, and graphs it must refuse.
@Suite struct TorchStackedStatesTests {
  static let onnx = ONNXFixtureTests.onnx

  static func file(_ name: String) throws -> ONNXModelFile {
    try ONNXModelFile(contentsOf: onnx.appendingPathComponent(name))
  }

  static func importing(_ file: ONNXModelFile) throws -> Model {
    try ONNXImporter.importModel(file, fileName: "edited.onnx")
  }

  @Test func slicedStatesBecomeOneInputPerStateKind() throws {
    let model = try Self.importing(try Self.file("torch_dynamo_bidi_l2_h0.onnx"))
    #expect(model.inputs.map(\.name) == ["x", "h0", "c0"])
    #expect(
      model.inputs.map(\.effectiveRole) == [
        .sequence, .initialHiddenStates(layers: [0, 1]), .initialCellStates(layers: [0, 1]),
      ])
    // [4, batch, 5] in the file: blocks of (layer, direction), forward first, over canonical [batch, 20].
    #expect(model.inputs[1].shape == [nil, 20])
    #expect(model.inputs[1].fileAxes == [.outer(axis: 1, count: 4), .canonical(0), .inner(axis: 1, count: 4)])
    #expect(model.outputs.map(\.concatenatedLayers) == [nil, [0, 1], [0, 1]])
    #expect(model.outputs.map(\.port) == [.output, .hiddenStates, .cellStates])
    #expect(try model.fileOutputShapes()[1] == [4, nil, 5])
  }

  @Test func bidirectionalLastIndexIsALastTimeStepLayer() throws {
    let model = try Self.importing(try Self.file("torch_bidi_bf_last.onnx"))
    #expect(model.layers.map(\.kind.kindName) == ["Bidirectional", "LastTimeStep", "Dense"])
    guard case .bidirectional(let bi) = model.layers[0].kind else { return }
    #expect(bi.forward.returnSequences && bi.mergeMode == .concat)
  }

  /// Replaces input `slot` of the node named `node`.
  static func rewire(_ file: inout ONNXModelFile, node: String, slot: Int, to value: String) throws {
    let index = try #require(file.graph.nodes.firstIndex { $0.name == node })
    file.graph.nodes[index].inputs[slot] = value
  }

  static func expectRefusal(_ file: ONNXModelFile, mentioning words: [String]) {
    do {
      _ = try Self.importing(file)
      Issue.record("the edited graph imported")
    } catch let error as ONNXImportError {
      guard case .unsupportedGraph(let reason) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      for word in words { #expect(reason.contains(word), "\(reason)") }
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test func slicesOutOfLayerOrderAreRefused() throws {
    var file = try Self.file("torch_l2_bf_last_h0.onnx")
    // Constants and the state slices first, so that either LSTM can read either slice.
    func rank(_ node: ONNXNode) -> Int { node.opType == "Constant" ? 0 : node.inputs.first == "h0" ? 1 : 2 }
    file.graph.nodes = file.graph.nodes.enumerated().sorted {
      (rank($0.element), $0.offset) < (rank($1.element), $1.offset)
    }
    .map(\.element)
    try Self.rewire(&file, node: "/lstm/LSTM", slot: 5, to: "/lstm/Slice_2_output_0")
    try Self.rewire(&file, node: "/lstm/LSTM_1", slot: 5, to: "/lstm/Slice_output_0")
    Self.expectRefusal(file, mentioning: ["'h0'", "in layer order"])
  }

  @Test func aStateReadPartlyIsRefused() throws {
    var file = try Self.file("torch_l2_bf_last_h0.onnx")
    // Both layers start from h0[0:1]; h0[1:2] is never read.
    try Self.rewire(&file, node: "/lstm/LSTM_1", slot: 5, to: "/lstm/Slice_output_0")
    Self.expectRefusal(file, mentioning: ["'h0'", "[0:1] by '/lstm/LSTM', [0:1] by '/lstm/LSTM_1'"])
  }

  @Test func hAndCFromOneInputAreRefused() throws {
    var file = try Self.file("torch_l2_bf_last_h0.onnx")
    try Self.rewire(&file, node: "/lstm/LSTM_1", slot: 6, to: "/lstm/Slice_2_output_0")
    try Self.rewire(&file, node: "/lstm/LSTM_1", slot: 5, to: "/lstm/Slice_3_output_0")
    Self.expectRefusal(file, mentioning: ["initial_h and initial_c"])
  }

  @Test func finalStatesOutOfLayerOrderAreRefused() throws {
    var file = try Self.file("torch_l2_bf_last_h0.onnx")
    let index = try #require(file.graph.nodes.firstIndex { $0.name == "/lstm/Concat" })
    file.graph.nodes[index].inputs.reverse()
    Self.expectRefusal(file, mentioning: ["/lstm/Concat", "out of layer order"])
  }

  @Test func aStateSliceOnTheWrongAxisIsRefused() throws {
    var file = try Self.file("torch_l2_bf_last_h0.onnx")
    // h0[:, 0:1] cuts the batch, not the layers.
    try Self.rewire(&file, node: "/lstm/Slice", slot: 3, to: "/lstm/Constant_2_output_0")
    Self.expectRefusal(file, mentioning: ["/lstm/Slice", "axis 1 of 'h0'"])
  }
}
