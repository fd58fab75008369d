import CanonicalModel
import Foundation
import Testing

@testable import Interpreter

@Suite struct Test_LSTMStep {
  private let xs: [Float] = [1.0, -2.0, 0.5]

  private func model(_ lstm: LSTMLayer, outputs: [ModelOutput]? = nil) -> Model {
    makeModel(input: floatInput(features: 1), layers: [lstmLayer(lstm)], outputs: outputs)
  }

  private func input(_ xs: [Float]) -> Tensor { sequence(xs.map { [$0] }) }

  /// With every W and U zero, i = f = o = sigmoid(0) = 1/2 and the candidate is
  /// tanh(b_c) = 0.8, so c_t = c_{t-1}/2 + 0.4: c = 0.4, 0.6, 0.7 and h = tanh(c)/2.
  @Test func constantGatesClosedForm() throws {
    var weights = ScalarLSTM()
    weights.input = ScalarGate(w: 0, u: 0, b: 0)
    weights.forget = ScalarGate(w: 0, u: 0, b: 0)
    weights.output = ScalarGate(w: 0, u: 0, b: 0)
    weights.cell = ScalarGate(w: 0, u: 0, b: atanh(0.8))
    let outputs = try run(
      model(
        weights.layer(),
        outputs: [
          ModelOutput(name: "seq", layer: 0), ModelOutput(name: "h", layer: 0, port: .hiddenState(.forward)),
          ModelOutput(name: "c", layer: 0, port: .cellState(.forward)),
        ]), input([3, -1, 7]))
    expectTensor(outputs[0], shape: [1, 3, 1], [0.18997448112761245, 0.26852478349901765, 0.3021838885585818])
    expectTensor(outputs[1], shape: [1, 1], [0.3021838885585818])
    expectTensor(outputs[2], shape: [1, 1], [0.7])
  }

  /// Three steps with every gate distinct, against the scalar formulas.
  @Test func standardCellThreeSteps() throws {
    let weights = ScalarLSTM()
    let y = try runFirst(model(weights.layer()), input(xs))
    // Step 1 written out in full (h0 = c0 = 0).
    let i1 = 1 / (1 + exp(-(0.5 * 1.0 + 0.05)))
    let f1 = 1 / (1 + exp(-(-0.3 * 1.0 + 1.0)))
    let g1 = tanh(0.8 * 1.0 - 0.1)
    let o1 = 1 / (1 + exp(-(0.2 * 1.0 + 0.3)))
    let c1 = f1 * 0 + i1 * g1
    let h1 = o1 * tanh(c1)
    let states = weights.hiddenStates(xs.map(Double.init))
    #expect(abs(states[0].h - h1) < 1e-12)
    expectTensor(y, shape: [1, 3, 1], states.map(\.h))
  }

  @Test func lastOutputWithoutReturnSequences() throws {
    let weights = ScalarLSTM()
    let y = try runFirst(model(weights.layer(returnSequences: false)), input(xs))
    expectTensor(y, shape: [1, 1], [weights.hiddenStates(xs.map(Double.init))[2].h])
  }

  /// Swapping the input and output gates' weights must change the result.
  @Test func permutedGatesGiveADifferentOutput() throws {
    let weights = ScalarLSTM()
    var swapped = weights
    swap(&swapped.input, &swapped.output)
    let y = try runFirst(model(weights.layer()), input(xs))
    let z = try runFirst(model(swapped.layer()), input(xs))
    expectTensor(z, shape: [1, 3, 1], swapped.hiddenStates(xs.map(Double.init)).map(\.h))
    #expect(zip(y.data, z.data).contains { abs($0 - $1) > 1e-3 })
  }

  @Test func peepholes() throws {
    var weights = ScalarLSTM()
    weights.peepholeInput = 0.9
    weights.peepholeForget = -0.7
    weights.peepholeOutput = 1.3
    let y = try runFirst(model(weights.layer()), input(xs))
    expectTensor(y, shape: [1, 3, 1], weights.hiddenStates(xs.map(Double.init)).map(\.h))
    // And they matter.
    let plain = ScalarLSTM().hiddenStates(xs.map(Double.init)).map(\.h)
    #expect(abs(Double(y.data[2]) - plain[2]) > 1e-3)
  }

  /// Every pre-activation is clipped to [-clip, clip], the output gate after its peephole.
  @Test func clipLimitsEveryPreActivation() throws {
    var weights = ScalarLSTM()
    weights.input = ScalarGate(w: 0, u: 0, b: 5)  // clipped to 1
    weights.forget = ScalarGate(w: 0, u: 0, b: -4)  // clipped to -1
    weights.cell = ScalarGate(w: 0, u: 0, b: 0.5)  // inside
    weights.output = ScalarGate(w: 0, u: 0, b: 0)
    weights.peepholeOutput = 10  // z_o = 10 c_new, clipped to 1
    let y = try runFirst(
      model(weights.layer(clip: 1), outputs: [ModelOutput(name: "c", layer: 0, port: .cellState(.forward))]),
      input([0]))
    let i = 1 / (1 + exp(-1.0))
    let c1 = i * tanh(0.5)
    expectTensor(y, shape: [1, 1], [c1])
    let h = try runFirst(model(weights.layer(clip: 1)), input([0]))
    expectTensor(h, shape: [1, 1, 1], [(1 / (1 + exp(-1.0))) * tanh(c1)])
  }

  /// With coupled gates the forget gate is 1 - i and its own weights are ignored.
  @Test func coupledInputForget() throws {
    var weights = ScalarLSTM()
    weights.forget = ScalarGate(w: 100, u: 100, b: 100)  // would saturate f at 1 if used
    let y = try runFirst(model(weights.layer(coupledInputForget: true)), input(xs))
    var h = 0.0
    var c = 0.0
    var expected: [Double] = []
    for x in xs.map(Double.init) {
      let i = 1 / (1 + exp(-(0.5 * x + 0.1 * h + 0.05)))
      let f = 1 - i
      let g = tanh(0.8 * x - 0.6 * h - 0.1)
      c = f * c + i * g
      let o = 1 / (1 + exp(-(0.2 * x + 0.7 * h + 0.3)))
      h = o * tanh(c)
      expected.append(h)
    }
    expectTensor(y, shape: [1, 3, 1], expected)
  }

  /// Keras 2's hard sigmoid gates, linear cell, relu hidden.
  @Test func otherActivations() throws {
    let weights = ScalarLSTM()
    let activations = LSTMActivations(gate: .hardSigmoid(slope: 0.2, offset: 0.5), cell: .linear, hidden: .relu)
    let y = try runFirst(model(weights.layer(activations: activations)), input(xs))
    func hard(_ z: Double) -> Double { min(max(0.2 * z + 0.5, 0), 1) }
    var h = 0.0
    var c = 0.0
    var expected: [Double] = []
    for x in xs.map(Double.init) {
      let i = hard(0.5 * x + 0.1 * h + 0.05)
      let f = hard(-0.3 * x + 0.4 * h + 1.0)
      let g = 0.8 * x - 0.6 * h - 0.1
      c = f * c + i * g
      let o = hard(0.2 * x + 0.7 * h + 0.3)
      h = o * max(c, 0)
      expected.append(h)
    }
    expectTensor(y, shape: [1, 3, 1], expected)
  }

  /// Samples of a batch run independently.
  @Test func batchSamplesAreIndependent() throws {
    let weights = ScalarLSTM()
    let other: [Float] = [-0.4, 2.0, 0.0]
    let y = try runFirst(model(weights.layer()), batch([xs.map { [$0] }, other.map { [$0] }]))
    expectTensor(
      y, shape: [2, 3, 1],
      weights.hiddenStates(xs.map(Double.init)).map(\.h) + weights.hiddenStates(other.map(Double.init)).map(\.h))
  }

  /// A 2-unit, 3-input layer checks the row-major [hidden, input] layout of W and U.
  @Test func rowMajorKernels() throws {
    // Only the cell gate has weights; i = f = o = 1/2.
    func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }
    let zeroGate = GateWeights(W: zeros([2, 3]), U: zeros([2, 2]), b: zeros([2]))
    let cell = GateWeights(
      W: Tensor(shape: [2, 3], data: [1, 0, 0, 0, 0, 2]), U: Tensor(shape: [2, 2], data: [0, 1, 0, 0]),
      b: zeros([2]))
    let lstm = LSTMLayer(
      inputSize: 3, hiddenSize: 2, returnSequences: true,
      weights: LSTMWeights(input: zeroGate, forget: zeroGate, cell: cell, output: zeroGate))
    let m = makeModel(input: floatInput(features: 3), layers: [lstmLayer(lstm)])
    let y = try runFirst(m, sequence([[0.3, 5, 0.1], [0, 7, 0]]))
    // Step 1: z_c = [0.3, 0.2]; c = g/2; h = tanh(c)/2.
    let c1 = [tanh(0.3) / 2, tanh(0.2) / 2]
    let h1 = c1.map { tanh($0) / 2 }
    // Step 2: z_c = [0 + U[0,1] h1[1], 0] = [h1[1], 0].
    let c2 = [c1[0] / 2 + tanh(h1[1]) / 2, c1[1] / 2]
    let h2 = c2.map { tanh($0) / 2 }
    expectTensor(y, shape: [1, 2, 2], h1 + h2)
  }

  /// A wide layer matches a plain, loop-by-loop reference.
  @Test func matchesAPlainReference() throws {
    var generator = SplitMix(seed: 7)
    let (inputSize, hidden, time, samples) = (5, 7, 6, 3)
    var weights: [Gate: GateWeights] = [:]
    for gate in Gate.allCases {
      weights[gate] = GateWeights(
        W: Tensor(shape: [hidden, inputSize], data: generator.floats(hidden * inputSize)),
        U: Tensor(shape: [hidden, hidden], data: generator.floats(hidden * hidden)),
        b: Tensor(shape: [hidden], data: generator.floats(hidden)))
    }
    let peepholes: [Gate: Tensor] = [
      .input: Tensor(shape: [hidden], data: generator.floats(hidden)),
      .forget: Tensor(shape: [hidden], data: generator.floats(hidden)),
      .output: Tensor(shape: [hidden], data: generator.floats(hidden)),
    ]
    let lstm = LSTMLayer(
      inputSize: inputSize, hiddenSize: hidden, returnSequences: true,
      weights: LSTMWeights(
        input: weights[.input]!, forget: weights[.forget]!, cell: weights[.cell]!, output: weights[.output]!,
        peepholes: peepholes), clip: 1.5)
    let x = Tensor(shape: [samples, time, inputSize], data: generator.floats(samples * time * inputSize, scale: 2))
    let y = try runFirst(makeModel(input: floatInput(features: inputSize), layers: [lstmLayer(lstm)]), x)

    func d(_ t: Tensor, _ k: Int) -> Double { Double(t.data[k]) }
    func clip(_ z: Double) -> Double { min(max(z, -1.5), 1.5) }
    func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
    var expected: [Double] = []
    for s in 0..<samples {
      var h = [Double](repeating: 0, count: hidden)
      var c = [Double](repeating: 0, count: hidden)
      for t in 0..<time {
        func pre(_ gate: Gate, _ r: Int) -> Double {
          let g = weights[gate]!
          var z = d(g.b, r)
          for j in 0..<inputSize { z += d(g.W, r * inputSize + j) * d(x, (s * time + t) * inputSize + j) }
          for j in 0..<hidden { z += d(g.U, r * hidden + j) * h[j] }
          return z
        }
        var newH = h
        var newC = c
        for r in 0..<hidden {
          let i = sigmoid(clip(pre(.input, r) + d(peepholes[.input]!, r) * c[r]))
          let f = sigmoid(clip(pre(.forget, r) + d(peepholes[.forget]!, r) * c[r]))
          let g = tanh(clip(pre(.cell, r)))
          newC[r] = f * c[r] + i * g
          let o = sigmoid(clip(pre(.output, r) + d(peepholes[.output]!, r) * newC[r]))
          newH[r] = o * tanh(newC[r])
        }
        h = newH
        c = newC
        expected += h
      }
    }
    expectTensor(y, shape: [samples, time, hidden], expected, tolerance: 1e-5)
  }
}

/// A tiny deterministic generator for test weights.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// `count` floats uniform in `[-scale, scale)`.
  mutating func floats(_ count: Int, scale: Float = 1) -> [Float] {
    (0..<count).map { _ in (Float(next() >> 40) / Float(1 << 24) * 2 - 1) * scale }
  }
}
