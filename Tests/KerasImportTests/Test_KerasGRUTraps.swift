import CanonicalModel
import Foundation
import Testing

@testable import KerasImport

/// GRU-specific traps in Keras files, checked against the raw packed tensors and the
/// configs Keras wrote.
@Suite("Keras GRU file traps")
struct Test_KerasGRUTraps {
  private func model(_ name: String) throws -> Model {
    try KerasImporter.importModel(at: FixtureFiles.keras(name))
  }

  private func gru(_ model: Model, _ index: Int) throws -> GRULayer {
    guard case .gru(let gru) = model.layers[index].kind else {
      throw TestFailure("layer \(index) of \(model.source.file) is \(model.layers[index].kind.kindName), not GRU")
    }
    return gru
  }

  private func bidirectional(_ model: Model, _ index: Int) throws -> (GRULayer, GRULayer, MergeMode) {
    guard case .bidirectional(let bi) = model.layers[index].kind, let forward = bi.forward.gru,
      let backward = bi.backward.gru
    else {
      throw TestFailure("layer \(index) of \(model.source.file) is not Bidirectional(GRU)")
    }
    return (forward, backward, bi.mergeMode)
  }

  /// Checks every gate against the packed Keras tensors, with Keras's GRU order (z, r, h)
  /// and bias rows written out here independently of the importer's table: z and r get
  /// both rows summed, the candidate row 0 in `b` and row 1 in `bU`.
  private func expectGates(
    _ gru: GRULayer, kernel: [Float], recurrent: [Float], bias: (shape: [Int], data: [Float])?,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let units = gru.hiddenSize
    let inputs = gru.inputSize
    let columns = 3 * units
    #expect(kernel.count == inputs * columns && recurrent.count == units * columns, sourceLocation: sourceLocation)
    let rows = bias.map { $0.shape.count == 2 ? $0.shape[0] : 1 } ?? 0
    #expect(rows == (bias == nil ? 0 : (gru.resetAfter ? 2 : 1)), "bias rows", sourceLocation: sourceLocation)
    func biasValue(row: Int, _ column: Int) -> Float {
      guard let bias, row < rows else { return 0 }
      return bias.data[row * columns + column]
    }
    for (gate, block) in [(GRUGate.update, 0), (.reset, 1), (.candidate, 2)] {
      let weights = gru.weights[gate]
      var mismatches = 0
      for r in 0..<units {
        let column = block * units + r
        for c in 0..<inputs where weights.W.data[r * inputs + c] != kernel[c * columns + column] { mismatches += 1 }
        for c in 0..<units where weights.U.data[r * units + c] != recurrent[c * columns + column] { mismatches += 1 }
        let expected =
          gate == .candidate ? biasValue(row: 0, column) : biasValue(row: 0, column) + biasValue(row: 1, column)
        if weights.b.data[r] != expected { mismatches += 1 }
        if gate == .candidate && gru.weights.candidateRecurrentBias.data[r] != biasValue(row: 1, column) {
          mismatches += 1
        }
      }
      #expect(mismatches == 0, "gate \(gate.rawValue)", sourceLocation: sourceLocation)
    }
  }

  private func raw(_ file: HDF5File, _ path: String) throws -> (shape: [Int], data: [Float]) {
    let dataset = try file.rootGroup().dataset(path)
    return (dataset.shape, try dataset.readFloats())
  }

  private func expectGates(_ gru: GRULayer, in file: HDF5File, prefix: String, names: [String]) throws {
    let bias = names.count > 2 ? try raw(file, prefix + names[2]) : nil
    expectGates(
      gru, kernel: try raw(file, prefix + names[0]).data, recurrent: try raw(file, prefix + names[1]).data, bias: bias)
  }

  // MARK: Gate blocks and bias rows

  @Test("legacy .h5 GRUs of both reset modes match the raw packed weights")
  func gateBlocksLegacy() throws {
    let names = ["kernel:0", "recurrent_kernel:0", "bias:0"]
    let k2 = try model("k2_gru_stack.h5")
    let file = try HDF5File(path: FixtureFiles.keras("k2_gru_stack.h5").path)
    // GRU(6) resets before ([18] bias), GRU(4) after ([2, 12] bias).
    #expect(try gru(k2, 0).resetAfter == false && gru(k2, 2).resetAfter == true)
    try expectGates(try gru(k2, 0), in: file, prefix: "model_weights/gru/gru/gru_cell/", names: names)
    try expectGates(try gru(k2, 2), in: file, prefix: "model_weights/gru_1/gru_1/gru_cell/", names: names)

    let state = try model("k2_gru_state.h5")
    let stateFile = try HDF5File(path: FixtureFiles.keras("k2_gru_state.h5").path)
    let (forward, backward, _) = try bidirectional(state, 1)
    try expectGates(forward, in: stateFile, prefix: "model_weights/bi/bi/forward_gru/gru_cell/", names: names)
    try expectGates(backward, in: stateFile, prefix: "model_weights/bi/bi/backward_gru/gru_cell/", names: names)
  }

  @Test("a .keras GRU's variables are layers/gru[_N]/cell/vars/0..2, named by class and counter")
  func gateBlocksNative() throws {
    let model = try model("k3_gru_stack.keras")
    #expect(model.layers.map(\.name) == ["gru", "lstm", "gru_1", "dense"])
    let archive = try KerasArchive(url: FixtureFiles.keras("k3_gru_stack.keras"))
    let image = try #require(try archive.data(of: "model.weights.h5"))
    let file = try HDF5File(image: image, name: "model.weights.h5")
    let names = ["0", "1", "2"]
    #expect(try gru(model, 0).resetAfter == true && gru(model, 2).resetAfter == false)
    try expectGates(try gru(model, 0), in: file, prefix: "layers/gru/cell/vars/", names: names)
    try expectGates(try gru(model, 2), in: file, prefix: "layers/gru_1/cell/vars/", names: names)

    let embedding = try self.model("k3_gru_embedding.keras")
    let embeddingArchive = try KerasArchive(url: FixtureFiles.keras("k3_gru_embedding.keras"))
    let embeddingFile = try HDF5File(
      image: try #require(try embeddingArchive.data(of: "model.weights.h5")), name: "model.weights.h5")
    // use_bias=False: no bias variable at all, every b and bU zero.
    let unbiased = try gru(embedding, 1)
    #expect(!unbiased.usesBias)
    #expect(try embeddingFile.rootGroup().kind(of: "layers/gru/cell/vars/2") == nil)
    try expectGates(unbiased, in: embeddingFile, prefix: "layers/gru/cell/vars/", names: ["0", "1"])
  }

  @Test(
    "a Keras 3 GRU model reads the same from .keras and from .h5",
    arguments: ["gru_stack", "gru_bidi_a", "gru_state"])
  func nativeMatchesLegacy(stem: String) throws {
    let native = try model("k3_\(stem).keras")
    let legacy = try model("k3_\(stem).h5")
    #expect(native.layers == legacy.layers)
    #expect(native.inputs == legacy.inputs)
    #expect(native.outputs == legacy.outputs)
  }

  // MARK: Settings

  @Test("reset_after, activations (hard_sigmoid per Keras version) and merge modes come from each layer")
  func settings() throws {
    let k2 = try model("k2_gru_bidi_b.h5")
    let (forward, backward, mode) = try bidirectional(k2, 0)
    #expect(mode == .mul)
    #expect(forward.activations == GRUActivations(gate: .hardSigmoid(slope: 0.2, offset: 0.5), candidate: .tanh))
    #expect(!forward.resetAfter && !backward.resetAfter)
    #expect(backward.direction == .backward && backward.outputOrder == .input)
    let (_, _, second) = try bidirectional(k2, 1)
    #expect(second == .ave)
    #expect(try bidirectional(k2, 1).0.resetAfter)

    let k3 = try model("k3_gru_bidi_b.keras")
    #expect(try bidirectional(k3, 0).0.activations.gate == .hardSigmoid(slope: 1.0 / 6.0, offset: 0.5))
    #expect(try bidirectional(k3, 0).2 == .ave && bidirectional(k3, 1).2 == .mul)

    let stack = try gru(try model("k2_gru_stack.h5"), 2)
    #expect(stack.activations.candidate == .softsign)
  }

  @Test("returned GRU states are h only: [output, h] and Bidirectional [output, h_fw, h_bw]")
  func returnedStates() throws {
    for name in ["k2_gru_state.h5", "k3_gru_state.keras", "k3_gru_state.h5"] {
      let model = try model(name)
      #expect(
        model.outputs.map(\.name) == ["enc", "enc_state_h", "proj", "bi_fw_state_h", "bi_bw_state_h"], "\(name)")
      #expect(
        model.outputs.map(\.port)
          == [.output, .hiddenState(.backward), .output, .hiddenState(.forward), .hiddenState(.backward)], "\(name)")
      #expect(model.outputs.map(\.layer) == [0, 0, 2, 1, 1], "\(name)")
      #expect(try gru(model, 0).direction == .backward && gru(model, 0).returnSequences, "\(name)")
    }
  }

  @Test("Bidirectional(GRU) forces zero_output_for_mask = return_sequences; stateful is kept")
  func maskAndState() throws {
    let masking = try model("k2_gru_masking.h5")
    #expect(try gru(masking, 1).zeroOutputForMask == false)
    let (forward, backward, _) = try bidirectional(masking, 2)
    #expect(!forward.zeroOutputForMask && !backward.zeroOutputForMask)
    let pair = try model("k3_gru_bidi_a.keras")
    #expect(try bidirectional(pair, 0).0.zeroOutputForMask && bidirectional(pair, 0).1.zeroOutputForMask)
    for name in ["k2_gru_stateful.h5", "k3_gru_stateful.keras"] {
      let model = try model(name)
      #expect(try gru(model, 0).stateful && gru(model, 1).stateful, "\(name)")
    }
  }
}
