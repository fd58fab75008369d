import CanonicalModel
import Foundation
import Testing

@testable import Interpreter

@Suite struct Test_DenseEmbeddingActivation {
  /// kernel [[1, 2, 3], [-1, 0, 0.5]], bias [0.5, -1].
  private let kernel = Tensor(shape: [2, 3], data: [1, 2, 3, -1, 0, 0.5])
  private let bias = Tensor(shape: [2], data: [0.5, -1])

  @Test func denseOnAVector() throws {
    let dense = DenseLayer(kernel: kernel, bias: bias, activation: .relu)
    let m = makeModel(
      input: ModelInput(name: "v", elementType: .float32, shape: [nil, 3]),
      layers: [Layer(name: "dense", kind: .dense(dense))])
    let y = try runFirst(m, Tensor(shape: [2, 3], data: [1, 1, 1, -2, 0, 2]))
    // Sample 1: [6.5, -1.5] → relu [6.5, 0]; sample 2: [4.5, 2] → [4.5, 2].
    expectTensor(y, shape: [2, 2], [6.5, 0, 4.5, 2])
  }

  @Test func timeDistributedDenseOnEveryStep() throws {
    let dense = DenseLayer(kernel: kernel, bias: nil, activation: .linear)
    let m = makeModel(input: floatInput(features: 3), layers: [Layer(name: "td", kind: .timeDistributedDense(dense))])
    let y = try runFirst(m, sequence([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
    expectTensor(y, shape: [1, 3, 2], [1, -1, 2, 0, 3, 0.5])
  }

  @Test func denseSoftmaxActsOnUnits() throws {
    let dense = DenseLayer(kernel: Tensor(shape: [3, 1], data: [1, 2, 3]), bias: nil, activation: .softmax)
    let m = makeModel(input: floatInput(features: 1), layers: [Layer(name: "dense", kind: .dense(dense))])
    let y = try runFirst(m, sequence([[1], [0]]))
    expectTensor(
      y, shape: [1, 2, 3],
      [0.09003057317038046, 0.24472847105479767, 0.6652409557748219, 1.0 / 3, 1.0 / 3, 1.0 / 3], tolerance: 1e-7)
  }

  @Test func activationLayerOnTheLastAxis() throws {
    let m = makeModel(input: floatInput(features: 2), layers: [Layer(name: "act", kind: .activation(.softsign))])
    let y = try runFirst(m, sequence([[1, -3], [0, 4]]))
    expectTensor(y, shape: [1, 2, 2], [0.5, -0.75, 0, 0.8])
  }

  private func embeddingModel(vocabulary: Int = 4) -> Model {
    let table = Tensor(shape: [vocabulary, 2], data: (0..<(vocabulary * 2)).map { Float($0) * 0.5 })
    return makeModel(
      input: ModelInput(name: "ids", elementType: .int32, shape: [nil, nil]),
      layers: [Layer(name: "emb", kind: .embedding(EmbeddingLayer(table: table, maskZero: false)))])
  }

  @Test func embeddingLooksUpRows() throws {
    let y = try runFirst(embeddingModel(), Tensor(shape: [2, 2], data: [3, 0, 1, 1]))
    expectTensor(y, shape: [2, 2, 2], [3, 3.5, 0, 0.5, 1, 1.5, 1, 1.5])
  }

  @Test func embeddingRejectsIndicesOutsideTheVocabulary() throws {
    let interpreter = try Interpreter(model: embeddingModel())
    #expect(
      throws: InterpreterError.embeddingIndexOutOfRange(layer: "emb", sample: 1, step: 0, index: 4, vocabularySize: 4)
    ) {
      try interpreter.run([Tensor(shape: [2, 2], data: [1, 2, 4, 0])])
    }
    #expect(
      throws: InterpreterError.embeddingIndexOutOfRange(layer: "emb", sample: 0, step: 1, index: -1, vocabularySize: 4)
    ) {
      try interpreter.run([Tensor(shape: [1, 2], data: [1, -1])])
    }
  }

  @Test func embeddingRejectsNonIntegers() throws {
    let interpreter = try Interpreter(model: embeddingModel())
    #expect(throws: InterpreterError.embeddingIndexNotInteger(layer: "emb", sample: 0, step: 2, value: 1.5)) {
      try interpreter.run([Tensor(shape: [1, 3], data: [1, 2, 1.5])])
    }
    for bad in [Float.nan, .infinity] {
      do {
        _ = try interpreter.run([Tensor(shape: [1, 1], data: [bad])])
        Issue.record("index \(bad) was accepted")
      } catch let error as InterpreterError {
        guard case .embeddingIndexNotInteger(let layer, _, _, _) = error else {
          Issue.record("unexpected \(error)")
          continue
        }
        #expect(layer == "emb")
        #expect(error.description.contains("expected an integer"))
      }
    }
  }

  @Test func embeddingErrorMessagesNameTheLayerAndTheRange() {
    let error = InterpreterError.embeddingIndexOutOfRange(layer: "emb", sample: 1, step: 0, index: 4, vocabularySize: 4)
    #expect(error.description == "layer 'emb' (Embedding): index at sample 1, step 0 is 4, expected 0..<4")
  }

  /// Embedding → Dense → LSTM chain: each layer's output feeds the next; an
  /// intermediate layer's output is reachable as a model output.
  @Test func chainAndIntermediateOutputs() throws {
    let lstm = ScalarLSTM()
    let table = Tensor(shape: [2, 1], data: [0.25, -1])
    let dense = DenseLayer(
      kernel: Tensor(shape: [1, 1], data: [2]), bias: Tensor(shape: [1], data: [1]), activation: .linear)
    let m = makeModel(
      input: ModelInput(name: "ids", elementType: .int32, shape: [nil, 2]),
      layers: [
        Layer(name: "emb", kind: .embedding(EmbeddingLayer(table: table, maskZero: false))),
        Layer(name: "dense", kind: .timeDistributedDense(dense)),
        lstmLayer(lstm.layer(returnSequences: false)),
      ],
      outputs: [ModelOutput(name: "y", layer: 2), ModelOutput(name: "d", layer: 1)])
    let outputs = try run(m, Tensor(shape: [1, 2], data: [1, 0]))
    // Dense: 2 * -1 + 1 = -1, 2 * 0.25 + 1 = 1.5.
    expectTensor(outputs[1], shape: [1, 2, 1], [-1, 1.5])
    expectTensor(outputs[0], shape: [1, 1], [lstm.hiddenStates([-1, 1.5])[1].h])
  }
}
