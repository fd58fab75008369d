import CanonicalModel
import Foundation
import Testing

/// The pieces PyTorch's multi-layer LSTM and `y[:, -1]` need: one input feeding several layers'
/// initial states, one output concatenating several layers' final states, and LastTimeStep.
@Suite struct SharedStatesAndLastTimeStepTests {
  /// Bidirectional (hidden 4) → LSTM (hidden 5) → LastTimeStep → Dense, with h0/c0 shared by both
  /// recurrent layers and h_n concatenating both layers' final h.
  static func stacked() -> Model {
    var model = ModelFactory.everything()
    let bidi = model.layers[1]
    var encoder = model.layers[2]
    if case .lstm(var lstm) = encoder.kind {
      lstm.stateful = false
      encoder.kind = .lstm(lstm)
    }
    var numbers = ModelFactory.Numbers(seed: 3)
    model.layers = [
      bidi, encoder,
      Layer(name: "pick", kind: .lastTimeStep, origin: LayerOrigin(name: "/Gather", className: "Gather")),
      Layer(
        name: "head", kind: .dense(DenseLayer(kernel: numbers.tensor([2, 5]), bias: nil, activation: .linear))),
    ]
    model.inputs += [
      ModelInput(
        name: "h0", elementType: .float32, shape: [nil, 13], role: .initialHiddenStates(layers: [0, 1]),
        fileAxes: [.outer(axis: 1, count: 3), .canonical(0), .inner(axis: 1, count: 3)]),
      ModelInput(name: "c0", elementType: .float32, shape: [nil, 13], role: .initialCellStates(layers: [0, 1])),
    ]
    model.outputs = [
      ModelOutput(name: "y", layer: 3),
      ModelOutput(name: "h_n", layer: 0, port: .hiddenStates, concatenatedLayers: [0, 1]),
    ]
    return model
  }

  @Test func identifiersOfSharedStatesRoundTrip() {
    let roles = [InputRole.initialHiddenStates(layers: [0, 2]), .initialCellStates(layers: [1, 2, 3])]
    #expect(roles.map(\.identifier) == ["initial_h.0,2", "initial_c.1,2,3"])
    for role in roles { #expect(InputRole(identifier: role.identifier) == role) }
    // One layer is still the old role, spelled as before.
    #expect(InputRole(identifier: "initial_h.0") == .initialHiddenState(layer: 0))
    for bad in ["initial_h.0,", "initial_h.,1", "initial_c.-1,2", "initial_h.", "initial_x.0,1", "initial_h.a"] {
      #expect(InputRole(identifier: bad) == nil, "\(bad)")
    }
    #expect(InputRole.initialCellStates(layers: [4, 6]).stateLayers == [4, 6])
    #expect(InputRole.initialCellStates(layers: [4, 6]).isCellState == true)
    #expect(InputRole.initialHiddenState(layer: 1).isCellState == false)
  }

  @Test func stackedModelValidatesAndRoundTripsBitExact() throws {
    let model = Self.stacked()
    let shapes = try model.validate()
    #expect(shapes[2] == .vector(features: 5))
    #expect(try model.outputShapes() == [[nil, 2], [nil, 13]])
    let data = try ModelArchive.encode(model)
    let reloaded = try ModelArchive.decode(data)
    #expect(reloaded == model)
    #expect(try ModelArchive.encode(reloaded) == data)
    let file = try SafetensorsFile(data: data)
    let architecture = try #require(file.metadata["architecture"])
    #expect(architecture.contains(#""role":"initial_h.0,1""#))
    #expect(architecture.contains(#""layers":[0,1]"#))
    #expect(architecture.contains(#""type":"last_time_step""#))
  }

  @Test func singleLayerOutputsKeepTheirOldJSON() throws {
    let file = try SafetensorsFile(data: try ModelArchive.encode(ModelFactory.everything()))
    let architecture = try #require(file.metadata["architecture"])
    let object = try JSONSerialization.jsonObject(with: Data(architecture.utf8)) as? [String: Any]
    let outputs = try #require(object?["outputs"] as? [[String: Any]])
    #expect(outputs.count == 3)
    for output in outputs { #expect(Set(output.keys) == ["name", "layer", "port"]) }
  }

  @Test func aLayerFedTwiceIsNamed() {
    var model = Self.stacked()
    model.inputs.append(
      ModelInput(name: "h1", elementType: .float32, shape: [nil, 5], role: .initialHiddenState(layer: 1)))
    #expect(
      throws: ModelValidationError.invalidModel(
        "input 'h1' feeds the initial state of layer 'encoder', which another input already feeds")
    ) { try model.validate() }
  }

  @Test func sharedStateInputsAreChecked() {
    var model = Self.stacked()
    model.inputs[1].shape = [nil, 12]
    #expect(
      throws: ModelValidationError.invalidModel(
        "input 'h0' (initial states of layers [0, 1]) must be float32 [batch, 13]")
    ) { try model.validate() }
    model = Self.stacked()
    model.inputs[1].role = .initialHiddenStates(layers: [1, 0])
    #expect(throws: ModelValidationError.self) { try model.validate() }
    model.inputs[1].role = .initialHiddenStates(layers: [0])
    #expect(throws: ModelValidationError.self) { try model.validate() }
    model.inputs[1].role = .initialHiddenStates(layers: [0, 3])
    #expect(
      throws: ModelValidationError.invalidModel("input 'h0' feeds layer 3, which is not recurrent")
    ) { try model.validate() }
  }

  @Test func concatenatedOutputsAreChecked() {
    var model = Self.stacked()
    model.outputs[1].concatenatedLayers = [0, 3]
    #expect(
      throws: ModelValidationError.invalidOutput(
        output: "h_n", reason: "asks for the h.all states of layer 'head' (Dense), which has none")
    ) { try model.validate() }
    model.outputs[1].concatenatedLayers = [1, 0]
    #expect(throws: ModelValidationError.self) { try model.validate() }
    model.outputs[1].concatenatedLayers = [0]
    #expect(throws: ModelValidationError.self) { try model.validate() }
    model.outputs[1].concatenatedLayers = [0, 1]
    model.outputs[1].port = .hiddenState(.forward)
    #expect(throws: ModelValidationError.self) { try model.validate() }
  }

  @Test func lastTimeStepNeedsASequence() {
    var model = Self.stacked()
    model.layers.insert(Layer(name: "again", kind: .lastTimeStep), at: 3)
    model.outputs[0].layer = 4
    #expect(
      throws: ModelValidationError.invalidLayer(
        layer: "again", reason: "LastTimeStep needs a sequence [batch, time, features], got [batch, 5]")
    ) { try model.validate() }
  }
}
