import CanonicalModel
import Testing

@Suite struct ModelValidationTests {
  @Test func wellFormedModelsValidate() throws {
    let shapes = try ModelFactory.everything().validate()
    #expect(shapes.last == .vector(features: 3))
    #expect(shapes[1] == .sequence(time: nil, features: 8))
    #expect(try ModelFactory.everything().outputShapes() == [[nil, 3], [nil, 5], [nil, 4]])
    #expect(try ModelFactory.embedding().outputShapes() == [[2, 3]])
  }

  @Test func kernelOfWrongShapeNamesLayerAndTensor() {
    var model = ModelFactory.everything()
    guard case .lstm(var lstm) = model.layers[2].kind else {
      Issue.record("fixture layout changed")
      return
    }
    lstm.weights.forget.U = Tensor(shape: [5, 4], repeating: 0)
    model.layers[2].kind = .lstm(lstm)
    #expect(
      throws: ModelValidationError.invalidLayer(
        layer: "encoder", reason: "forward.forget.U has shape [5, 4], expected [5, 5]")
    ) {
      try model.validate()
    }
  }

  @Test func layerThatDoesNotFitItsInputIsNamed() {
    var model = ModelFactory.everything()
    model.layers[5].kind = .dense(
      DenseLayer(kernel: Tensor(shape: [3, 7], repeating: 1), bias: nil, activation: .relu))
    #expect(
      throws: ModelValidationError.invalidLayer(
        layer: "head", reason: "kernel expects 7 input features, got [batch, 2]")
    ) {
      try model.validate()
    }
  }

  @Test func recurrentLayerNeedsASequence() {
    var model = ModelFactory.everything()
    model.layers.append(
      Layer(name: "late", kind: .lstm(ModelFactory.lstm(input: 3, hidden: 2, returnSequences: false, seed: 1))))
    #expect(throws: ModelValidationError.self) { try model.validate() }
  }

  @Test func stateOutputOfDenseIsRejected() {
    var model = ModelFactory.everything()
    model.outputs.append(ModelOutput(name: "bogus", layer: 5, port: .hiddenState(.forward)))
    #expect(throws: ModelValidationError.self) { try model.validate() }
    model.outputs[3] = ModelOutput(name: "bogus", layer: 42)
    #expect(
      throws: ModelValidationError.invalidOutput(output: "bogus", reason: "refers to layer 42, but the model has 7")
    ) {
      try model.validate()
    }
  }

  @Test func embeddingNeedsIndices() {
    var model = ModelFactory.embedding()
    model.inputs[0] = ModelInput(name: "tokens", elementType: .float32, shape: [2, 9, 4])
    #expect(throws: ModelValidationError.self) { try model.validate() }
  }

  @Test func parameterCountCountsEveryTensor() {
    let model = ModelFactory.embedding()
    #expect(model.parameterCount == 10 * 4 + 4 * (3 * 4 + 3 * 3 + 3))
  }
}
