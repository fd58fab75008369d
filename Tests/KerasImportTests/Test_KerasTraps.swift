import CanonicalModel
import Foundation
import Testing

@testable import KerasImport

/// One test per known trap in Keras files.
@Suite("Keras file traps")
struct Test_KerasTraps {
  private func model(_ name: String) throws -> Model {
    try KerasImporter.importModel(at: FixtureFiles.keras(name))
  }

  private func lstm(_ model: Model, _ index: Int) throws -> LSTMLayer {
    guard case .lstm(let lstm) = model.layers[index].kind else {
      throw TestFailure("layer \(index) of \(model.source.file) is \(model.layers[index].kind.kindName), not LSTM")
    }
    return lstm
  }

  private func bidirectional(_ model: Model, _ index: Int) throws -> BidirectionalLayer {
    guard case .bidirectional(let bi) = model.layers[index].kind else {
      throw TestFailure("layer \(index) of \(model.source.file) is not Bidirectional")
    }
    return bi
  }

  private func dense(_ model: Model, _ index: Int) throws -> DenseLayer {
    switch model.layers[index].kind {
    case .dense(let dense), .timeDistributedDense(let dense): return dense
    default: throw TestFailure("layer \(index) of \(model.source.file) is not Dense")
    }
  }

  /// Reads a raw Keras tensor with the HDF5 wrapper.
  private func raw(_ file: HDF5File, _ path: String) throws -> (shape: [Int], data: [Float]) {
    let dataset = try file.rootGroup().dataset(path)
    return (dataset.shape, try dataset.readFloats())
  }

  /// Checks every gate block against the packed Keras tensors, with Keras's order
  /// (i, f, c, o) written out here independently of the importer's table.
  private func expectGates(
    _ lstm: LSTMLayer, kernel: [Float], recurrent: [Float], bias: [Float]?,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let units = lstm.hiddenSize
    let inputs = lstm.inputSize
    let blocks: [(Gate, Int)] = [(.input, 0), (.forget, 1), (.cell, 2), (.output, 3)]
    for (gate, block) in blocks {
      let weights = lstm.weights[gate]
      var mismatches = 0
      for r in 0..<units {
        for c in 0..<inputs where weights.W.data[r * inputs + c] != kernel[c * 4 * units + block * units + r] {
          mismatches += 1
        }
        for c in 0..<units where weights.U.data[r * units + c] != recurrent[c * 4 * units + block * units + r] {
          mismatches += 1
        }
        if weights.b.data[r] != (bias?[block * units + r] ?? 0) { mismatches += 1 }
      }
      #expect(mismatches == 0, "gate \(gate.rawValue)", sourceLocation: sourceLocation)
    }
  }

  // MARK: Gate blocks

  @Test("Keras gate blocks land in the named gates (numbers printed once with h5py)")
  func gateBlocksByNumber() throws {
    let lstm = try lstm(try model("k2_basic.h5"), 0)
    #expect(lstm.inputSize == 3 && lstm.hiddenSize == 5)
    // kernel[0][5]: column 5 is the first forget-gate column (units = 5).
    #expect(lstm.weights.forget.W.data[0 * 3 + 0] == -0.032678254)
    // kernel[1][10]: first cell-candidate column, input feature 1.
    #expect(lstm.weights.cell.W.data[0 * 3 + 1] == 0.3219047)
    // kernel[2][19]: last output-gate column, input feature 2.
    #expect(lstm.weights.output.W.data[4 * 3 + 2] == 0.5464892)
    // kernel[0][0..2]: input gate, units 0..2 of feature 0.
    #expect(lstm.weights.input.W.data[0] == 0.1189061775803566)
    #expect(lstm.weights.input.W.data[1 * 3] == -0.5012500286102295)
    // recurrent_kernel[1][6]: forget gate, unit 1, from hidden unit 1.
    #expect(lstm.weights.forget.U.data[1 * 5 + 1] == -0.5474213)
    // bias[5]: first forget-gate bias.
    #expect(lstm.weights.forget.b.data[0] == 0.9009078741073608)
  }

  @Test("every gate of a legacy .h5 LSTM matches the raw packed weights")
  func gateBlocksLegacy() throws {
    let file = try HDF5File(path: FixtureFiles.keras("k2_basic.h5").path)
    let prefix = "model_weights/lstm/lstm/lstm_cell/"
    expectGates(
      try lstm(try model("k2_basic.h5"), 0), kernel: try raw(file, prefix + "kernel:0").data,
      recurrent: try raw(file, prefix + "recurrent_kernel:0").data, bias: try raw(file, prefix + "bias:0").data)
  }

  // MARK: `:0` suffixes

  @Test("weight names end in ':0' in Keras 2 files and not in Keras 3 ones; both import")
  func weightNameSuffixes() throws {
    let k2 = try HDF5File(path: FixtureFiles.keras("k2_basic.h5").path).rootGroup()
    let k3 = try HDF5File(path: FixtureFiles.keras("k3_basic.h5").path).rootGroup()
    let k2Names = try k2.group("model_weights/lstm").stringArrayAttribute("weight_names")
    let k3Names = try k3.group("model_weights/lstm").stringArrayAttribute("weight_names")
    #expect(k2Names.allSatisfy { $0.hasSuffix(":0") })
    #expect(k3Names.allSatisfy { !$0.contains(":") })
    #expect(k2Names.map(LegacyH5WeightStore.role) == ["kernel", "recurrent_kernel", "bias"])
    #expect(k3Names.map(LegacyH5WeightStore.role) == ["kernel", "recurrent_kernel", "bias"])

    let file = try HDF5File(path: FixtureFiles.keras("k3_basic.h5").path)
    let prefix = "model_weights/lstm/sequential/lstm/lstm_cell/"
    expectGates(
      try lstm(try model("k3_basic.h5"), 0), kernel: try raw(file, prefix + "kernel").data,
      recurrent: try raw(file, prefix + "recurrent_kernel").data, bias: try raw(file, prefix + "bias").data)
  }

  // MARK: .keras group naming

  @Test("a .keras file names weight groups by class and counter, not by the user's layer names")
  func nativeGroupNaming() throws {
    let model = try model("k3_functional_basic.keras")
    #expect(model.layers.map(\.name) == ["encoder", "head"])
    let archive = try KerasArchive(url: FixtureFiles.keras("k3_functional_basic.keras"))
    let image = try #require(try archive.data(of: "model.weights.h5"))
    let weights = try HDF5File(image: image, name: "model.weights.h5")
    let root = try weights.rootGroup()
    #expect(!root.contains("layers/encoder") && !root.contains("layers/head"))
    expectGates(
      try lstm(model, 0), kernel: try raw(weights, "layers/lstm/cell/vars/0").data,
      recurrent: try raw(weights, "layers/lstm/cell/vars/1").data,
      bias: try raw(weights, "layers/lstm/cell/vars/2").data)
    let kernel = try raw(weights, "layers/dense/vars/0")
    let head = try dense(model, 1)
    #expect(kernel.shape == [head.inputSize, head.units])
    for r in 0..<head.units {
      for c in 0..<head.inputSize {
        #expect(head.kernel.data[r * head.inputSize + c] == kernel.data[c * head.units + r])
      }
    }
    #expect(head.bias?.data == (try raw(weights, "layers/dense/vars/1").data))
  }

  @Test("group counters count per class in model.layers order")
  func nativeGroupCounters() throws {
    func layer(_ className: String, _ name: String) throws -> KerasLayerConfig {
      try KerasLayerConfig(
        JSONValue.object(["class_name": .string(className), "config": .object(["name": .string(name)])]))
    }
    let root = try HDF5File(path: FixtureFiles.keras("k3_basic.h5").path).rootGroup()
    let store = NativeKerasWeightStore(
      root: root,
      savedLayers: [
        try layer("InputLayer", "in"), try layer("LSTM", "first"), try layer("Dropout", "drop"),
        try layer("LSTM", "second"), try layer("TimeDistributed", "td"), try layer("Dense", "lstm"),
        try layer("LSTM", "dense"), try layer("Dense", "out"),
      ])
    #expect(store.paths["first"] == "layers/lstm")
    #expect(store.paths["second"] == "layers/lstm_1")
    #expect(store.paths["dense"] == "layers/lstm_2")
    #expect(store.paths["lstm"] == "layers/dense")
    #expect(store.paths["out"] == "layers/dense_1")
    #expect(store.paths["td"] == "layers/time_distributed")
    #expect(store.paths["drop"] == "layers/dropout")
    #expect(NativeKerasWeightStore.snakeCase("SpatialDropout1D") == "spatial_dropout1d")
    #expect(NativeKerasWeightStore.snakeCase("GaussianNoise") == "gaussian_noise")
    #expect(NativeKerasWeightStore.snakeCase("LSTM") == "lstm")
  }

  @Test(
    "a Keras 3 model reads the same from .keras and from .h5",
    arguments: ["basic", "stacked", "bidi_pair_a", "state_seq", "embedding_mask", "masking_bidi"])
  func nativeMatchesLegacy(stem: String) throws {
    let native = try model("k3_\(stem).keras")
    let legacy = try model("k3_\(stem).h5")
    #expect(native.layers == legacy.layers)
    #expect(native.inputs == legacy.inputs)
    #expect(native.outputs == legacy.outputs)
    #expect(native.source.format == "keras3-keras")
    #expect(legacy.source.format == "keras3-h5")
  }

  @Test("swapped layer names: the first LSTM is called 'lstm_1' but its weights are in layers/lstm")
  func swappedNames() throws {
    for name in ["k3_stacked.keras", "k3_stacked.h5", "k2_stacked.h5"] {
      let model = try model(name)
      #expect(model.layers.map(\.name) == ["lstm_1", "lstm", "dense"], "\(name)")
      #expect(try lstm(model, 0).hiddenSize == 6 && lstm(model, 0).inputSize == 4, "\(name)")
      #expect(try lstm(model, 1).hiddenSize == 5 && lstm(model, 1).inputSize == 6, "\(name)")
    }
  }

  // MARK: Bidirectional weight names

  @Test("Bidirectional weights are found through weight_names, generated sublayer names and all")
  func bidirectionalWeightNames() throws {
    for name in ["k2_bidi_pair_a.h5", "k3_bidi_pair_a.h5"] {
      let file = try HDF5File(path: FixtureFiles.keras(name).path)
      let weights = try file.rootGroup().group("model_weights")
      let model = try model(name)
      for (index, layer) in model.layers.enumerated() {
        guard case .bidirectional(let bi) = layer.kind, let forward = bi.forward.lstm, let backward = bi.backward.lstm
        else { continue }
        let group = try weights.group(layer.name)
        let names = try group.stringArrayAttribute("weight_names")
        #expect(names.count == 6)
        func tensor(_ side: String, _ role: String) throws -> [Float] {
          let path = try #require(names.first { $0.contains("/\(side)_") && LegacyH5WeightStore.role(of: $0) == role })
          return try group.dataset(path).readFloats()
        }
        expectGates(
          forward, kernel: try tensor("forward", "kernel"), recurrent: try tensor("forward", "recurrent_kernel"),
          bias: try tensor("forward", "bias"))
        expectGates(
          backward, kernel: try tensor("backward", "kernel"), recurrent: try tensor("backward", "recurrent_kernel"),
          bias: try tensor("backward", "bias"))
        #expect(forward.weights != backward.weights, "layer \(index)")
      }
    }
  }

  @Test("Bidirectional halves: generated names decide, innermost first; otherwise position")
  func bidirectionalSelection() throws {
    let generated = [
      "forward_model/forward_bi/forward_lstm/lstm_cell/kernel",
      "forward_model/forward_bi/backward_lstm/lstm_cell/kernel",
    ]
    #expect(try LegacyH5WeightStore.select(generated, part: .forward) == [generated[0]])
    #expect(try LegacyH5WeightStore.select(generated, part: .backward) == [generated[1]])
    let custom = ["bi/forward_a/cell/kernel", "bi/forward_a/cell/bias", "bi/mine/cell/kernel", "bi/mine/cell/bias"]
    #expect(try LegacyH5WeightStore.select(custom, part: .forward) == Array(custom[..<2]))
    #expect(try LegacyH5WeightStore.select(custom, part: .backward) == Array(custom[2...]))
  }

  // MARK: String attribute forms

  @Test("fixed- and variable-length string attributes import to the same model", arguments: ["k2_basic", "k3_basic"])
  func stringForms(stem: String) throws {
    let reference = try model("\(stem).h5")
    for form in ["fixedstr", "varstr"] {
      let copy = try model("\(stem)_\(form).h5")
      #expect(copy.layers == reference.layers, "\(form)")
      #expect(copy.outputs == reference.outputs)
      #expect(copy.source.framework == reference.source.framework)
    }
  }

  @Test("fixed-length strings everywhere (weight_names, layer_names too) import the same")
  func fixedStringsEverywhere() throws {
    let copy = try model("k2_basic_fixedstr_all.h5")
    #expect(copy.layers == (try model("k2_basic.h5")).layers)
  }

  // MARK: Direction and order

  @Test("go_backwards with return_sequences keeps processing order, checked against Keras's predictions")
  func goBackwardsOrder() throws {
    // The fixture's first output is the go_backwards LSTM's own sequence, which
    // Keras returns reversed; the second runs another go_backwards LSTM on it.
    for name in ["k2_go_backwards", "k3_go_backwards"] {
      let model = try self.model(name + (name.hasPrefix("k2") ? ".h5" : ".keras"))
      let sequenceLayer = try lstm(model, 0)
      #expect(sequenceLayer.direction == .backward)
      #expect(sequenceLayer.outputOrder == .processing)
      #expect(sequenceLayer.returnSequences)
      #expect(try lstm(model, 1).direction == .backward)
      #expect(model.outputs.map(\.layer) == [0, 2])
      let fixture = try FixtureFiles.fixture("\(name).fixture.json")
      let input = try #require(fixture.inputs.first)
      var pass = ReferenceForwardPass(model: model)
      let outputs = pass.run(input: input.data, shape: input.shape)
      for (actual, expected) in zip(outputs, fixture.outputs) {
        #expect(actual.count == expected.data.count)
        let worst = zip(actual, expected.data).map { abs($0 - $1) - (1e-5 + 1e-4 * abs($1)) }.max() ?? 1
        #expect(worst <= 0, "\(name): \(expected.name)")
      }
      // Read in input order instead, the sequence would not match Keras.
      var forwardOrder = model
      var reordered = sequenceLayer
      reordered.outputOrder = .input
      forwardOrder.layers[0].kind = .lstm(reordered)
      var wrong = ReferenceForwardPass(model: forwardOrder)
      let misordered = try #require(wrong.run(input: input.data, shape: input.shape).first)
      let error = zip(misordered, fixture.outputs[0].data).map { abs($0 - $1) }.max() ?? 0
      #expect(error > 1e-2)
    }
  }

  @Test("Bidirectional's backward half runs backward and returns its sequence in input order")
  func bidirectionalOrder() throws {
    for name in ["k2_bidi_pair_a.h5", "k3_bidi_pair_a.keras"] {
      let bi = try bidirectional(try model(name), 0)
      #expect(bi.forward.direction == .forward && bi.backward.direction == .backward)
      #expect(bi.backward.outputOrder == .input)
      #expect(bi.forward.returnSequences && bi.backward.returnSequences)
    }
  }

  // MARK: hard_sigmoid by version

  @Test("hard_sigmoid is 0.2x + 0.5 in Keras 2 and x/6 + 0.5 in Keras 3")
  func hardSigmoidByVersion() throws {
    let k2 = try model("k2_seq_timedist.h5")
    #expect(try lstm(k2, 0).activations.gate == .hardSigmoid(slope: 0.2, offset: 0.5))
    let k3 = try model("k3_seq_timedist.keras")
    #expect(try lstm(k3, 0).activations.gate == .hardSigmoid(slope: 1.0 / 6.0, offset: 0.5))
    #expect(try dense(k3, 1).activation == .hardSigmoid(slope: 1.0 / 6.0, offset: 0.5))
    guard case .timeDistributedDense = k3.layers[1].kind else {
      Issue.record("TimeDistributed(Dense) became \(k3.layers[1].kind.kindName)")
      return
    }
  }

  // MARK: zero_output_for_mask

  @Test("Bidirectional forces zero_output_for_mask = return_sequences on both halves; plain LSTMs keep false")
  func zeroOutputForMask() throws {
    for name in ["k2_masking_bidi.h5", "k3_masking_bidi.keras", "k3_masking_bidi.h5"] {
      let model = try model(name)
      #expect(model.layers.map(\.kind.kindName) == ["Masking", "Bidirectional", "Dense"], "\(name)")
      let bi = try bidirectional(model, 1)
      #expect(bi.forward.zeroOutputForMask && bi.backward.zeroOutputForMask, "\(name)")
    }
    for name in ["k2_bidi_state.h5", "k3_bidi_state.keras"] {
      let bi = try bidirectional(try model(name), 0)
      #expect(!bi.forward.zeroOutputForMask && !bi.backward.zeroOutputForMask, "\(name)")
    }
    for name in ["k2_bidi_pair_a.h5", "k3_bidi_pair_a.keras"] {
      let model = try model(name)
      let first = try bidirectional(model, 0)
      let second = try bidirectional(model, 1)
      #expect(first.forward.zeroOutputForMask && first.backward.zeroOutputForMask, "\(name)")
      #expect(!second.forward.zeroOutputForMask && !second.backward.zeroOutputForMask, "\(name)")
    }
    for name in ["k2_masking_seq.h5", "k3_masking_seq.keras"] {
      #expect(try !lstm(try model(name), 1).zeroOutputForMask, "\(name)")
    }
  }

  @Test("Keras 3 Functional masks (NotEqual/Any op nodes) are dropped; the Masking layer stays")
  func keras3MaskOps() throws {
    let model = try model("k3_masking_last.keras")
    #expect(model.layers.map(\.kind.kindName) == ["Masking", "LSTM", "Dense"])
    #expect(model.layers[0].kind == .masking(MaskingLayer(maskValue: 0)))
  }

  // MARK: Other semantics

  @Test("use_bias=False gives zero gate biases and a Dense without bias")
  func noBias() throws {
    for name in ["k2_seq_dense3d.h5", "k3_seq_dense3d.keras"] {
      let model = try model(name)
      #expect(model.layers.map(\.kind.kindName) == ["LSTM", "Dense", "Activation"])
      let layer = try lstm(model, 0)
      #expect(!layer.usesBias)
      #expect(Gate.allCases.allSatisfy { layer.weights[$0].b.data.allSatisfy { $0 == 0 } })
      #expect(try dense(model, 1).bias == nil)
    }
  }

  @Test("returned states become h/c outputs of the right direction")
  func stateOutputs() throws {
    let state = try model("k2_state_dense.h5")
    #expect(state.outputs.map(\.name) == ["proj", "enc_state_h", "enc_state_c"])
    #expect(state.outputs.map(\.port) == [.output, .hiddenState(.forward), .cellState(.forward)])
    #expect(state.outputs.map(\.layer) == [1, 0, 0])
    let bi = try model("k3_bidi_state.keras")
    #expect(
      bi.outputs.map(\.port) == [
        .output, .hiddenState(.forward), .cellState(.forward), .hiddenState(.backward), .cellState(.backward),
      ])
  }

  @Test("inference no-ops leave no canonical layer; Embedding inputs are int32 indices; stateful is kept")
  func layerKinds() throws {
    for name in ["k2_inference_noops.h5", "k3_inference_noops.keras"] {
      #expect(try model(name).layers.map(\.kind.kindName) == ["LSTM", "LSTM", "Dense"], "\(name)")
    }
    for name in ["k2_embedding_mask.h5", "k3_embedding_mask.keras", "k3_embedding_mask.h5"] {
      let model = try model(name)
      #expect(model.inputs[0].elementType == .int32)
      #expect(model.inputs[0].shape == [nil, 10])
      guard case .embedding(let embedding) = model.layers[0].kind else {
        Issue.record("\(name): first layer is \(model.layers[0].kind.kindName)")
        continue
      }
      #expect(embedding.maskZero && embedding.vocabularySize == 10 && embedding.dimension == 4)
    }
    for name in ["k2_stateful.h5", "k3_stateful.keras"] {
      let model = try model(name)
      #expect(model.inputs[0].shape == [2, 10, 3])
      #expect(try lstm(model, 0).stateful)
    }
  }

  @Test("activations map to their canonical forms")
  func activations() throws {
    let k2 = try model("k2_acts_b.h5")
    #expect(
      try lstm(k2, 0).activations == LSTMActivations(gate: .softsign, cell: .elu(alpha: 1), hidden: .elu(alpha: 1)))
    #expect(try lstm(k2, 1).activations == LSTMActivations(gate: .tanh, cell: .selu, hidden: .selu))
    #expect(try lstm(k2, 2).activations == LSTMActivations(gate: .sigmoid, cell: .sigmoid, hidden: .sigmoid))
    #expect(k2.layers[3].kind == .activation(.swish))
    #expect(try dense(k2, 4).activation == .gelu(approximate: false))
    let k3 = try model("k3_acts_a.keras")
    #expect(
      try lstm(k3, 0).activations
        == LSTMActivations(
          gate: .hardSigmoid(slope: 1.0 / 6.0, offset: 0.5), cell: .gelu(approximate: false),
          hidden: .gelu(approximate: false)))
    #expect(try lstm(k3, 1).activations == LSTMActivations(gate: .sigmoid, cell: .swish, hidden: .swish))
    #expect(k3.layers[2].kind == .activation(.elu(alpha: 1)))
    #expect(try dense(k3, 3).activation == .swish)
    let k2a = try model("k2_acts_a.h5")
    #expect(try lstm(k2a, 1).activations.gate == .hardSigmoid(slope: 0.2, offset: 0.5))
    #expect(try lstm(k2a, 0).activations.cell == .relu)
  }
}
