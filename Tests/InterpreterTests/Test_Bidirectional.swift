import CanonicalModel
import Testing

@testable import Interpreter

@Suite struct Test_Bidirectional {
  private let forwardWeights = ScalarLSTM()
  private let backwardWeights = ScalarLSTM(
    input: ScalarGate(w: -0.4, u: 0.2, b: 0.1), forget: ScalarGate(w: 0.6, u: -0.1, b: 0.8),
    cell: ScalarGate(w: 1.2, u: 0.3, b: 0), output: ScalarGate(w: -0.5, u: 0.9, b: -0.2))
  private let xs: [Double] = [1.0, -2.0, 0.5]

  private func model(
    _ mode: MergeMode, returnSequences: Bool = true, masked: Bool = false, outputs: [ModelOutput]? = nil
  ) -> Model {
    let bi = BidirectionalLayer(
      forward: forwardWeights.layer(returnSequences: returnSequences, zeroOutputForMask: returnSequences),
      backward: backwardWeights.layer(
        direction: .backward, outputOrder: .input, returnSequences: returnSequences,
        zeroOutputForMask: returnSequences),
      mergeMode: mode)
    var layers = [Layer(name: "bi", kind: .bidirectional(bi))]
    if masked { layers.insert(Layer(name: "masking", kind: .masking(MaskingLayer(maskValue: 0))), at: 0) }
    return makeModel(input: floatInput(features: 1), layers: layers, outputs: outputs)
  }

  private var input: Tensor { sequence(xs.map { [Float($0)] }) }
  /// Forward outputs per input step.
  private var forward: [Double] { forwardWeights.hiddenStates(xs).map(\.h) }
  /// Backward outputs per input step (processed last to first, then realigned).
  private var backward: [Double] { backwardWeights.hiddenStates(xs.reversed()).map(\.h).reversed() }

  @Test func concat() throws {
    let y = try runFirst(model(.concat), input)
    expectTensor(y, shape: [1, 3, 2], zip(forward, backward).flatMap { [$0, $1] })
  }

  @Test func sum() throws {
    expectTensor(try runFirst(model(.sum), input), shape: [1, 3, 1], zip(forward, backward).map { $0 + $1 })
  }

  @Test func mul() throws {
    expectTensor(try runFirst(model(.mul), input), shape: [1, 3, 1], zip(forward, backward).map { $0 * $1 })
  }

  @Test func ave() throws {
    expectTensor(try runFirst(model(.ave), input), shape: [1, 3, 1], zip(forward, backward).map { ($0 + $1) / 2 })
  }

  /// Without return_sequences the merge acts on each direction's final h
  /// (the backward one after processing step 0).
  @Test func finalOutputsAndStates() throws {
    let outputs = try run(
      model(
        .concat, returnSequences: false,
        outputs: [
          ModelOutput(name: "y", layer: 0), ModelOutput(name: "h_f", layer: 0, port: .hiddenState(.forward)),
          ModelOutput(name: "c_f", layer: 0, port: .cellState(.forward)),
          ModelOutput(name: "h_b", layer: 0, port: .hiddenState(.backward)),
          ModelOutput(name: "c_b", layer: 0, port: .cellState(.backward)),
        ]), input)
    let f = forwardWeights.hiddenStates(xs)[2]
    let b = backwardWeights.hiddenStates(xs.reversed())[2]
    expectTensor(outputs[0], shape: [1, 2], [f.h, b.h])
    expectTensor(outputs[1], shape: [1, 1], [f.h])
    expectTensor(outputs[2], shape: [1, 1], [f.c])
    expectTensor(outputs[3], shape: [1, 1], [b.h])
    expectTensor(outputs[4], shape: [1, 1], [b.c])
  }

  /// With a mask both halves skip the masked step and output zeros there.
  @Test func maskedSteps() throws {
    let y = try runFirst(model(.concat, masked: true), sequence([[1], [0], [-2]]))
    let f = forwardWeights.hiddenStates([1, nil, -2]).map(\.h)
    let b = Array(backwardWeights.hiddenStates([-2, nil, 1]).map(\.h).reversed())
    expectTensor(y, shape: [1, 3, 2], [f[0], b[0], 0, 0, f[2], b[2]])
  }
}
