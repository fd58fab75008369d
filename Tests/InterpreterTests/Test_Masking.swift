import CanonicalModel
import Foundation
import Testing

@testable import Interpreter

@Suite struct Test_Masking {
  private let weights = ScalarLSTM()

  /// Masking(maskValue) followed by the given layers; outputs the last layer's main output.
  private func masked(
    _ layers: [LayerKind], maskValue: Float = 0, features: Int = 1, outputs: [ModelOutput]? = nil
  ) -> Model {
    let all =
      [Layer(name: "masking", kind: .masking(MaskingLayer(maskValue: maskValue)))]
      + layers.enumerated().map { Layer(name: "layer\($0.offset)", kind: $0.element) }
    return makeModel(input: floatInput(features: features), layers: all, outputs: outputs)
  }

  private func steps(_ xs: [Float]) -> Tensor { sequence(xs.map { [$0] }) }

  @Test func maskingZeroesMaskedStepsOnly() throws {
    let m = masked([], maskValue: -1, features: 2)
    let y = try runFirst(m, sequence([[-1, -1], [-1, 3], [2, -1], [-1, -1]]))
    expectTensor(y, shape: [1, 4, 2], [0, 0, -1, 3, 2, -1, 0, 0])
  }

  @Test func aMaskedStepKeepsTheStateAndRepeatsTheOutput() throws {
    let m = masked([.lstm(weights.layer())])
    let y = try runFirst(m, steps([1, 0, -2]))
    let states = weights.hiddenStates([1, nil, -2])
    expectTensor(y, shape: [1, 3, 1], [states[0].h, states[0].h, states[2].h])
    // The step after the gap continues from step 1's state, not from a step on 0.
    let unmasked = weights.hiddenStates([1, 0, -2])
    #expect(abs(Double(y.data[2]) - unmasked[2].h) > 1e-4)
  }

  @Test func zeroOutputForMaskWritesZeros() throws {
    let m = masked([.lstm(weights.layer(zeroOutputForMask: true))])
    let y = try runFirst(m, steps([1, 0, -2]))
    let states = weights.hiddenStates([1, nil, -2])
    expectTensor(y, shape: [1, 3, 1], [states[0].h, 0, states[2].h])
  }

  @Test func leadingMaskedStepsOutputZeros() throws {
    let m = masked([.lstm(weights.layer())])
    let y = try runFirst(m, steps([0, 0, 0.5]))
    expectTensor(y, shape: [1, 3, 1], [0, 0, weights.hiddenStates([0.5])[0].h])
  }

  @Test func trailingMaskedStepsKeepTheFinalState() throws {
    let m = masked(
      [.lstm(weights.layer(returnSequences: false))],
      outputs: [
        ModelOutput(name: "y", layer: 1), ModelOutput(name: "h", layer: 1, port: .hiddenState(.forward)),
        ModelOutput(name: "c", layer: 1, port: .cellState(.forward)),
      ])
    let outputs = try run(m, steps([1, -2, 0, 0]))
    let states = weights.hiddenStates([1, -2])
    expectTensor(outputs[0], shape: [1, 1], [states[1].h])
    expectTensor(outputs[1], shape: [1, 1], [states[1].h])
    expectTensor(outputs[2], shape: [1, 1], [states[1].c])
  }

  /// Keras: without return_sequences the output is the last step's (masked) output,
  /// which is zero under zero_output_for_mask; the returned state is still the last unmasked one.
  @Test func zeroOutputForMaskWithoutSequences() throws {
    let m = masked(
      [.lstm(weights.layer(returnSequences: false, zeroOutputForMask: true))],
      outputs: [ModelOutput(name: "y", layer: 1), ModelOutput(name: "h", layer: 1, port: .hiddenState(.forward))])
    let outputs = try run(m, steps([1, -2, 0]))
    expectTensor(outputs[0], shape: [1, 1], [0])
    expectTensor(outputs[1], shape: [1, 1], [weights.hiddenStates([1, -2])[1].h])
  }

  @Test func eachSampleHasItsOwnMask() throws {
    let m = masked([.lstm(weights.layer())])
    let y = try runFirst(m, batch([[[1], [0], [2]], [[0], [3], [0]]]))
    let a = weights.hiddenStates([1, nil, 2]).map(\.h)
    let b = weights.hiddenStates([nil, 3, nil]).map(\.h)
    expectTensor(y, shape: [2, 3, 1], [a[0], a[0], a[2], 0, b[1], b[1]])
  }

  @Test func backwardLayersSkipMaskedStepsToo() throws {
    let processing = try runFirst(
      masked([.lstm(weights.layer(direction: .backward, outputOrder: .processing))]), steps([1, 0, -2]))
    // Processed: -2, (masked), 1.
    let states = weights.hiddenStates([-2, nil, 1]).map(\.h)
    expectTensor(processing, shape: [1, 3, 1], states)
    let input = try runFirst(
      masked([.lstm(weights.layer(direction: .backward, outputOrder: .input, zeroOutputForMask: true))]),
      steps([1, 0, -2]))
    expectTensor(input, shape: [1, 3, 1], [states[2], 0, states[0]])
  }

  /// The mask survives Dense (whose output at the masked step is not zero) and Activation.
  @Test func theMaskFlowsThroughDenseAndActivation() throws {
    let dense = DenseLayer(
      kernel: Tensor(shape: [1, 1], data: [2]), bias: Tensor(shape: [1], data: [0.25]), activation: .linear)
    let m = masked([.timeDistributedDense(dense), .activation(.tanh), .lstm(weights.layer())])
    let y = try runFirst(m, steps([1, 0, -2]))
    let first: Double = tanh(2.0 * 1.0 + 0.25)
    let third: Double = tanh(2.0 * -2.0 + 0.25)
    let states = weights.hiddenStates([first, nil, third]).map(\.h)
    expectTensor(y, shape: [1, 3, 1], [states[0], states[0], states[2]])
  }

  /// A sequence-returning LSTM passes the mask on to the next recurrent layer.
  @Test func theMaskFlowsThroughARecurrentLayer() throws {
    let second = ScalarLSTM(
      input: ScalarGate(w: 1.1, u: -0.2, b: 0), forget: ScalarGate(w: 0.3, u: 0.3, b: 0.5),
      cell: ScalarGate(w: -0.9, u: 0.1, b: 0.2), output: ScalarGate(w: 0.6, u: -0.4, b: 0))
    let m = masked([.lstm(weights.layer()), .lstm(second.layer())])
    let y = try runFirst(m, steps([1, 0, -2]))
    let first = weights.hiddenStates([1, nil, -2]).map(\.h)
    let expected = second.hiddenStates([first[0], nil, first[2]]).map(\.h)
    expectTensor(y, shape: [1, 3, 1], [expected[0], expected[0], expected[2]])
  }

  /// After a backward layer in processing order the sequence is reversed, but, as in Keras
  /// (`RNN.compute_mask` returns the input mask), its mask stays aligned to input time.
  @Test func theMaskStaysInInputTimeAfterAProcessingOrderSequence() throws {
    let second = ScalarLSTM(
      input: ScalarGate(w: 1.1, u: -0.2, b: 0), forget: ScalarGate(w: 0.3, u: 0.3, b: 0.5),
      cell: ScalarGate(w: -0.9, u: 0.1, b: 0.2), output: ScalarGate(w: 0.6, u: -0.4, b: 0))
    let m = masked(
      [.lstm(weights.layer(direction: .backward, outputOrder: .processing)), .lstm(second.layer())])
    // Input mask [kept, masked, kept, kept]; the first layer outputs processing order
    // [h(0.5), h(-2), h(-2) repeated, h(1)] and the second layer still sees step 1 masked.
    let y = try runFirst(m, steps([1, 0, -2, 0.5]))
    let first = weights.hiddenStates([0.5, -2, nil, 1]).map(\.h)
    let expected = second.hiddenStates([first[0], nil, first[1], first[3]]).map(\.h)
    expectTensor(y, shape: [1, 4, 1], [expected[0], expected[0], expected[2], expected[3]])
  }

  @Test func embeddingMaskZeroMasksIndexZero() throws {
    let table = Tensor(shape: [3, 1], data: [9, 0.5, -1])  // row 0 would be 9 if it were used
    let m = makeModel(
      input: ModelInput(name: "ids", elementType: .int32, shape: [nil, nil]),
      layers: [
        Layer(name: "embedding", kind: .embedding(EmbeddingLayer(table: table, maskZero: true))),
        lstmLayer(weights.layer()),
      ])
    let y = try runFirst(m, Tensor(shape: [1, 4], data: [1, 0, 2, 0]))
    let states = weights.hiddenStates([0.5, nil, -1, nil]).map(\.h)
    expectTensor(y, shape: [1, 4, 1], [states[0], states[0], states[2], states[2]])
  }

  @Test func withoutMaskZeroIndexZeroIsAnOrdinaryRow() throws {
    let table = Tensor(shape: [3, 1], data: [9, 0.5, -1])
    let m = makeModel(
      input: ModelInput(name: "ids", elementType: .int32, shape: [nil, nil]),
      layers: [
        Layer(name: "embedding", kind: .embedding(EmbeddingLayer(table: table, maskZero: false))),
        lstmLayer(weights.layer()),
      ])
    let y = try runFirst(m, Tensor(shape: [1, 2], data: [1, 0]))
    expectTensor(y, shape: [1, 2, 1], weights.hiddenStates([0.5, 9]).map(\.h))
  }

  @Test func nonFiniteInputsAreComputed() throws {
    let m = makeModel(input: floatInput(features: 1), layers: [lstmLayer(weights.layer())])
    let y = try runFirst(m, steps([1, .nan]))
    #expect(y.data[0].isFinite)
    #expect(y.data[1].isNaN)
    // NaN never equals the mask value, so Masking keeps such a step.
    let z = try runFirst(masked([]), steps([.nan, 0]))
    #expect(z.data[0].isNaN && z.data[1] == 0)
  }
}
