import CanonicalModel
import Foundation
import Testing

@testable import Interpreter

/// PyTorch's multi-layer h0/c0 and h_n/c_n, and `y[:, -1]`, against equivalent models built from
/// features the interpreter already had (per-layer constant states, separate outputs).
@Suite struct SharedStatesAndLastTimeStepTests {
  typealias Numbers = ONNXFeatureTests.Numbers

  static func lstm(input: Int, hidden: Int, direction: Direction = .forward, seed: UInt64) -> LSTMLayer {
    var numbers = Numbers(seed: seed)
    func gate() -> GateWeights {
      GateWeights(
        W: numbers.tensor([hidden, input]), U: numbers.tensor([hidden, hidden]), b: numbers.tensor([hidden]))
    }
    return LSTMLayer(
      inputSize: input, hiddenSize: hidden, direction: direction, outputOrder: .input, returnSequences: true,
      weights: LSTMWeights(input: gate(), forget: gate(), cell: gate(), output: gate()), zeroOutputForMask: true)
  }

  /// Bidirectional (2 × 2) → LSTM (3): state blocks of 4 and 3 per sample.
  static func layers(constantH: [Tensor]? = nil, constantC: [Tensor]? = nil) -> [Layer] {
    var forward = lstm(input: 3, hidden: 2, seed: 1)
    var backward = lstm(input: 3, hidden: 2, direction: .backward, seed: 2)
    var top = lstm(input: 4, hidden: 3, seed: 3)
    forward.initialHidden = constantH?[0]
    backward.initialHidden = constantH?[1]
    top.initialHidden = constantH?[2]
    forward.initialCell = constantC?[0]
    backward.initialCell = constantC?[1]
    top.initialCell = constantC?[2]
    return [
      Layer(
        name: "bidi", kind: .bidirectional(BidirectionalLayer(forward: forward, backward: backward, mergeMode: .concat))
      ),
      Layer(name: "top", kind: .lstm(top)),
    ]
  }

  /// Rows `[batch, width]` cut into per-sample column blocks.
  static func columns(_ tensor: Tensor, _ range: Range<Int>) -> Tensor {
    let width = tensor.shape[1]
    let data = (0..<tensor.shape[0]).flatMap { sample in
      tensor.data[(sample * width + range.lowerBound)..<(sample * width + range.upperBound)]
    }
    return Tensor(shape: [tensor.shape[0], range.count], data: Array(data))
  }

  @Test func sharedInitialStatesEqualPerLayerStates() throws {
    var numbers = Numbers(seed: 11)
    let x = numbers.tensor([2, 5, 3])
    let h0 = numbers.tensor([2, 7])
    let c0 = numbers.tensor([2, 7])
    let shared = makeModel(
      input: floatInput(features: 3), layers: Self.layers(),
      outputs: [
        ModelOutput(name: "y", layer: 1),
        ModelOutput(name: "h_n", layer: 0, port: .hiddenStates, concatenatedLayers: [0, 1]),
        ModelOutput(name: "c_n", layer: 0, port: .cellStates, concatenatedLayers: [0, 1]),
      ],
      extraInputs: [
        ModelInput(name: "h0", elementType: .float32, shape: [nil, 7], role: .initialHiddenStates(layers: [0, 1])),
        ModelInput(name: "c0", elementType: .float32, shape: [nil, 7], role: .initialCellStates(layers: [0, 1])),
      ])
    let viaInput = try Interpreter(model: shared).run([x, h0, c0])

    // The same states as constants: per sample, bidi forward 0..<2, backward 2..<4, top 4..<7.
    let blocks = [0..<2, 2..<4, 4..<7]
    let separate = makeModel(
      input: floatInput(features: 3),
      layers: Self.layers(
        constantH: blocks.map { Self.columns(h0, $0) }, constantC: blocks.map { Self.columns(c0, $0) }),
      outputs: [
        ModelOutput(name: "y", layer: 1), ModelOutput(name: "h_bidi", layer: 0, port: .hiddenStates),
        ModelOutput(name: "h_top", layer: 1, port: .hiddenStates),
        ModelOutput(name: "c_bidi", layer: 0, port: .cellStates),
        ModelOutput(name: "c_top", layer: 1, port: .cellStates),
      ])
    let viaConstants = try Interpreter(model: separate).run([x])
    #expect(viaInput[0] == viaConstants[0])
    #expect(Self.columns(viaInput[1], 0..<4) == viaConstants[1])
    #expect(Self.columns(viaInput[1], 4..<7) == viaConstants[2])
    #expect(Self.columns(viaInput[2], 0..<4) == viaConstants[3])
    #expect(Self.columns(viaInput[2], 4..<7) == viaConstants[4])
    // The states matter: zero states give another result.
    let plain = makeModel(input: floatInput(features: 3), layers: Self.layers())
    #expect(try Interpreter(model: plain).run([x])[0] != viaConstants[0])
  }

  @Test func lastTimeStepIsTheLastRowOfTheSequence() throws {
    var numbers = Numbers(seed: 5)
    let x = numbers.tensor([2, 4, 3])
    let layers = Array(Self.layers().prefix(1))
    let sequence = try runFirst(makeModel(input: floatInput(features: 3), layers: layers), x)
    let picked = try runFirst(
      makeModel(input: floatInput(features: 3), layers: layers + [Layer(name: "pick", kind: .lastTimeStep)]), x)
    #expect(picked.shape == [2, 4])
    #expect(Array(picked.data[0..<4]) == Array(sequence.data[12..<16]))
    #expect(Array(picked.data[4..<8]) == Array(sequence.data[28..<32]))
    // Unlike Keras's return_sequences=False: the backward half is its output after the last input step only.
    guard case .bidirectional(var bi) = layers[0].kind else { return }
    bi.forward.returnSequences = false
    bi.backward.returnSequences = false
    let keras = try runFirst(
      makeModel(input: floatInput(features: 3), layers: [Layer(name: "bidi", kind: .bidirectional(bi))]), x)
    #expect(Array(keras.data[0..<2]) == Array(picked.data[0..<2]))
    #expect(Array(keras.data[2..<4]) != Array(picked.data[2..<4]))
    let lastStepOnly = Tensor(shape: [1, 1, 3], data: Array(x.data[9..<12]))
    let backwardAlone = try runFirst(
      makeModel(input: floatInput(features: 3), layers: [Layer(name: "b", kind: .lstm(bi.backward.lstm!))]),
      lastStepOnly)
    #expect(backwardAlone.data == Array(picked.data[2..<4]))
  }
}
