import CanonicalModel
import Foundation
import Testing

@testable import Interpreter

@Suite struct ONNXFeatureTests {
  @Test func newActivationsEvaluate() {
    #expect(Activation.affine(alpha: 2, beta: 1).evaluate(3) == 7)
    #expect(Activation.leakyRelu(alpha: 0.1).evaluate(-2) == -0.2)
    #expect(Activation.leakyRelu(alpha: 0.1).evaluate(2) == 2)
    #expect(Activation.thresholdedRelu(alpha: 1).evaluate(1) == 0)
    #expect(Activation.thresholdedRelu(alpha: 1).evaluate(1.5) == 1.5)
    let scaled = Activation.scaledTanh(alpha: 2, beta: 0.5).evaluate(1)
    #expect(abs(scaled - 2 * Float(Foundation.tanh(0.5))) < 1e-7)
    var values: [Float] = [-1, 0, 2]
    Activation.affine(alpha: -1, beta: 0).apply(to: &values, width: 3)
    #expect(values == [1, 0, -2])
  }

  static func model(extraInputs: [ModelInput], layer: LSTMLayer, ports: [LayerPort]) -> Model {
    makeModel(
      input: floatInput(features: layer.inputSize), layers: [lstmLayer(layer)],
      outputs: ports.enumerated().map { ModelOutput(name: "o\($0.offset)", layer: 0, port: $0.element) },
      extraInputs: extraInputs)
  }

  static func layer() -> LSTMLayer {
    var numbers = Numbers(seed: 7)
    func gate() -> GateWeights {
      GateWeights(W: numbers.tensor([2, 3]), U: numbers.tensor([2, 2]), b: numbers.tensor([2]))
    }
    return LSTMLayer(
      inputSize: 3, hiddenSize: 2, outputOrder: .input, returnSequences: true,
      weights: LSTMWeights(input: gate(), forget: gate(), cell: gate(), output: gate()), zeroOutputForMask: true)
  }

  struct Numbers {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> Float {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return Float(Int64(bitPattern: state % 2001) - 1000) / 1000
    }
    mutating func tensor(_ shape: [Int]) -> Tensor {
      Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in next() })
    }
  }

  @Test func initialStateInputMatchesAConstantInitialState() throws {
    let x = Tensor(shape: [2, 4, 3], data: (0..<24).map { Float($0 % 7) / 7 - 0.4 })
    let h0 = Tensor(shape: [2, 2], data: [0.1, -0.2, 0.3, 0.4])
    let c0 = Tensor(shape: [2, 2], data: [-0.5, 0.6, 0.7, -0.8])
    let inputs = [
      ModelInput(name: "h0", elementType: .float32, shape: [nil, 2], role: .initialHiddenState(layer: 0)),
      ModelInput(name: "c0", elementType: .float32, shape: [nil, 2], role: .initialCellState(layer: 0)),
    ]
    let viaInputs = try Interpreter(model: Self.model(extraInputs: inputs, layer: Self.layer(), ports: [.output]))
      .run([x, h0, c0])
    var constant = Self.layer()
    constant.initialHidden = h0
    constant.initialCell = c0
    let viaConstants = try Interpreter(model: Self.model(extraInputs: [], layer: constant, ports: [.output])).run([x])
    #expect(viaInputs == viaConstants)
    let zero = try Interpreter(model: Self.model(extraInputs: [], layer: Self.layer(), ports: [.output])).run([x])
    #expect(zero != viaConstants)
  }

  @Test func sequenceLengthsZeroTheTailAndKeepTheLastValidState() throws {
    let x = Tensor(shape: [2, 4, 3], data: (0..<24).map { Float($0 % 5) / 5 - 0.3 })
    let lengths = ModelInput(name: "len", elementType: .int32, shape: [nil], role: .sequenceLengths)
    let model = Self.model(extraInputs: [lengths], layer: Self.layer(), ports: [.output, .hiddenStates])
    let outputs = try Interpreter(model: model).run([x, Tensor(shape: [2], data: [2, 4])])
    // Sample 0: steps 2 and 3 are zero; its final h is step 1's output.
    for t in 2..<4 { #expect(outputs[0].data[(t * 2)..<(t * 2 + 2)].allSatisfy { $0 == 0 }) }
    #expect(Array(outputs[1].data[0..<2]) == Array(outputs[0].data[2..<4]))
    // The same as running the first two steps alone.
    let short = Tensor(shape: [1, 2, 3], data: Array(x.data[0..<6]))
    let plain = try Interpreter(model: Self.model(extraInputs: [], layer: Self.layer(), ports: [.output])).run([short])
    #expect(Array(outputs[0].data[0..<4]) == plain[0].data)
    #expect(throws: InterpreterError.self) {
      try Interpreter(model: model).run([x, Tensor(shape: [2], data: [5, 1])])
    }
  }
}
