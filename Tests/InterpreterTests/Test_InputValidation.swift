import CanonicalModel
import Testing

@testable import Interpreter

@Suite struct Test_InputValidation {
  private func model(time: Int? = nil, batch: Int? = nil, extraInputs: [ModelInput] = []) throws -> Interpreter {
    let input = ModelInput(name: "x", elementType: .float32, shape: [batch, time, 2])
    let activation = Layer(name: "act", kind: .activation(.tanh))
    return try Interpreter(model: makeModel(input: input, layers: [activation], extraInputs: extraInputs))
  }

  @Test func wrongNumberOfInputs() throws {
    let interpreter = try model()
    #expect(throws: InterpreterError.wrongInputCount(expected: ["x"], got: 2)) {
      try interpreter.run([Tensor(shape: [1, 1, 2]), Tensor(shape: [1, 1, 2])])
    }
    #expect(throws: InterpreterError.wrongInputCount(expected: ["x"], got: 0)) { try interpreter.run([]) }
  }

  @Test func wrongRank() throws {
    let interpreter = try model()
    #expect(throws: InterpreterError.inputRankMismatch(input: "x", expected: [nil, nil, 2], got: [3, 2])) {
      try interpreter.run([Tensor(shape: [3, 2])])
    }
  }

  @Test func fixedFeatureSizeMustMatch() throws {
    let interpreter = try model()
    let error = InterpreterError.inputDimensionMismatch(
      input: "x", axis: 2, axisName: "features", expected: [nil, nil, 2], got: [1, 4, 3])
    #expect(throws: error) { try interpreter.run([Tensor(shape: [1, 4, 3])]) }
    #expect(error.description == "input 'x': axis 2 (features) must be 2, got shape [1, 4, 3]; expected [batch, ?, 2]")
  }

  @Test func fixedTimeMustMatchAndFreeTimeMayBeAnything() throws {
    let fixed = try model(time: 3)
    #expect(
      throws: InterpreterError.inputDimensionMismatch(
        input: "x", axis: 1, axisName: "time", expected: [nil, 3, 2], got: [1, 4, 2])
    ) {
      try fixed.run([Tensor(shape: [1, 4, 2])])
    }
    let free = try model()
    for time in [1, 5, 17] {
      #expect(try free.run([Tensor(shape: [2, time, 2])])[0].shape == [2, time, 2])
    }
  }

  @Test func freeDimensionsMustBeAtLeastOne() throws {
    let interpreter = try model()
    #expect(
      throws: InterpreterError.inputDimensionMismatch(
        input: "x", axis: 1, axisName: "time", expected: [nil, nil, 2], got: [1, 0, 2])
    ) {
      try interpreter.run([Tensor(shape: [1, 0, 2])])
    }
    #expect(
      throws: InterpreterError.inputDimensionMismatch(
        input: "x", axis: 0, axisName: "batch", expected: [nil, nil, 2], got: [0, 3, 2])
    ) {
      try interpreter.run([Tensor(shape: [0, 3, 2])])
    }
  }

  @Test func fixedBatchMustMatch() throws {
    let interpreter = try model(batch: 1)
    #expect(
      throws: InterpreterError.inputDimensionMismatch(
        input: "x", axis: 0, axisName: "batch", expected: [1, nil, 2], got: [2, 3, 2])
    ) {
      try interpreter.run([Tensor(shape: [2, 3, 2])])
    }
  }

  @Test func allInputsShareTheBatch() throws {
    let interpreter = try model(extraInputs: [ModelInput(name: "ids", elementType: .int32, shape: [nil, nil])])
    let error = InterpreterError.batchMismatch(input: "ids", batch: 3, expected: 2, firstInput: "x")
    #expect(throws: error) { try interpreter.run([Tensor(shape: [2, 1, 2]), Tensor(shape: [3, 1])]) }
    #expect(error.description.contains("'ids'") && error.description.contains("'x'"))
    #expect(try interpreter.run([Tensor(shape: [2, 1, 2]), Tensor(shape: [2, 5])])[0].shape == [2, 1, 2])
  }

  @Test func everyMessageIsOneLineAndNamesTheInput() {
    let errors: [InterpreterError] = [
      .wrongInputCount(expected: ["x", "y"], got: 1),
      .inputRankMismatch(input: "x", expected: [nil, nil, 2], got: [3]),
      .inputDimensionMismatch(input: "x", axis: 1, axisName: "time", expected: [nil, nil, 2], got: [1, 0, 2]),
      .batchMismatch(input: "y", batch: 1, expected: 2, firstInput: "x"),
      .embeddingIndexNotInteger(layer: "emb", sample: 0, step: 0, value: 0.5),
      .embeddingIndexOutOfRange(layer: "emb", sample: 0, step: 0, index: 9, vocabularySize: 3),
    ]
    for error in errors {
      #expect(!error.description.contains("\n"))
      #expect(
        error.description.contains("'x'") || error.description.contains("'y'") || error.description.contains("'emb'"))
    }
    #expect(errors[0].description == "the model takes 2 input tensors ('x', 'y'), got 1")
    #expect(
      errors[2].description
        == "input 'x': axis 1 (time) must be at least 1, got shape [1, 0, 2]; expected [batch, ?, 2]")
  }

  @Test func anInvalidModelIsRejectedAtInit() {
    let lstm = ScalarLSTM().layer()
    let m = makeModel(input: floatInput(features: 2), layers: [lstmLayer(lstm)])  // the LSTM takes 1 feature
    #expect(throws: ModelValidationError.self) { try Interpreter(model: m) }
  }
}
