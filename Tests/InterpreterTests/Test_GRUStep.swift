import CanonicalModel
import Foundation
import Testing

@testable import Interpreter

/// The GRU cell against a scalar Double reference written formula by formula from
/// the GRU definitions (Keras / ONNX / PyTorch), for both reset modes, with weights
/// that differ per gate and a non-zero candidate recurrent bias.
@Suite struct GRUStepTests {
  struct Reference {
    var W: [[[Double]]]  // gate -> [hidden][input], gates z, r, n
    var U: [[[Double]]]
    var b: [[Double]]
    var bU: [Double]
    var resetAfter: Bool
    /// Softmax instead of sigmoid as the gate activation, over each gate's H values.
    var softmaxGates = false

    func run(_ xs: [[Double]], h0: [Double]) -> (sequence: [[Double]], h: [Double]) {
      let hidden = bU.count
      var h = h0
      var sequence: [[Double]] = []
      func sigmoid(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
      for x in xs {
        func affine(_ gate: Int, _ v: [Double], _ m: [[[Double]]]) -> [Double] {
          (0..<hidden).map { j in zip(m[gate][j], v).reduce(0) { $0 + $1.0 * $1.1 } }
        }
        let wx = (0..<3).map { affine($0, x, W) }
        let uh = (0..<3).map { affine($0, h, U) }
        func gate(_ v: [Double]) -> [Double] {
          guard softmaxGates else { return v.map(sigmoid) }
          let e = v.map { exp($0 - v.max()!) }
          return e.map { $0 / e.reduce(0, +) }
        }
        let z = gate((0..<hidden).map { wx[0][$0] + uh[0][$0] + b[0][$0] })
        let r = gate((0..<hidden).map { wx[1][$0] + uh[1][$0] + b[1][$0] })
        let n: [Double]
        if resetAfter {
          n = (0..<hidden).map { tanh(wx[2][$0] + b[2][$0] + r[$0] * (uh[2][$0] + bU[$0])) }
        } else {
          let rh = (0..<hidden).map { r[$0] * h[$0] }
          let urh = affine(2, rh, U)
          n = (0..<hidden).map { tanh(wx[2][$0] + b[2][$0] + urh[$0] + bU[$0]) }
        }
        h = (0..<hidden).map { z[$0] * h[$0] + (1 - z[$0]) * n[$0] }
        sequence.append(h)
      }
      return (sequence, h)
    }
  }

  static func layer(resetAfter: Bool, input: Int = 3, hidden: Int = 4) -> (GRULayer, Reference) {
    var seed: UInt64 = resetAfter ? 7 : 8
    func next() -> Float {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Float(Int((seed >> 33) % 2001) - 1000) / 1250
    }
    func matrix(_ rows: Int, _ columns: Int) -> [[Float]] { (0..<rows).map { _ in (0..<columns).map { _ in next() } } }
    let W = (0..<3).map { _ in matrix(hidden, input) }
    let U = (0..<3).map { _ in matrix(hidden, hidden) }
    let b = (0..<3).map { gate in (0..<hidden).map { _ in next() + Float(gate) * 0.3 } }
    let bU = (0..<hidden).map { _ in next() + 0.5 }
    func gate(_ k: Int) -> GateWeights {
      GateWeights(
        W: Tensor(shape: [hidden, input], data: W[k].flatMap { $0 }),
        U: Tensor(shape: [hidden, hidden], data: U[k].flatMap { $0 }), b: Tensor(shape: [hidden], data: b[k]))
    }
    let weights = GRUWeights(
      update: gate(0), reset: gate(1), candidate: gate(2), candidateRecurrentBias: Tensor(shape: [hidden], data: bU))
    let layer = GRULayer(
      inputSize: input, hiddenSize: hidden, returnSequences: true, weights: weights, resetAfter: resetAfter)
    func double(_ m: [[[Float]]]) -> [[[Double]]] { m.map { $0.map { $0.map(Double.init) } } }
    let reference = Reference(
      W: double(W), U: double(U), b: b.map { $0.map(Double.init) }, bU: bU.map(Double.init), resetAfter: resetAfter)
    return (layer, reference)
  }

  static let steps: [[Float]] = (0..<9).map { t in (0..<3).map { k in Float(sin(Double(t * 3 + k))) * 2.5 } }

  @Test(arguments: [true, false])
  func sequenceMatchesTheFormulas(resetAfter: Bool) throws {
    let (gru, reference) = Self.layer(resetAfter: resetAfter)
    let model = makeModel(
      input: floatInput(features: 3), layers: [Layer(name: "gru", kind: .gru(gru))],
      outputs: [
        ModelOutput(name: "y", layer: 0), ModelOutput(name: "h", layer: 0, port: .hiddenState(.forward)),
      ])
    let outputs = try run(model, sequence(Self.steps))
    let expected = reference.run(Self.steps.map { $0.map(Double.init) }, h0: [0, 0, 0, 0])
    expectClose(outputs[0].data, expected.sequence.flatMap { $0 })
    expectClose(outputs[1].data, expected.h)
  }

  /// A softmax gate activation acts on each gate's H values (Keras applies `recurrent_activation`
  /// to z and to r separately), not on both gates together.
  @Test func softmaxGatesArePerGate() throws {
    var (gru, reference) = Self.layer(resetAfter: false)
    gru.activations = GRUActivations(gate: .softmax, candidate: .tanh)
    reference.softmaxGates = true
    let model = makeModel(input: floatInput(features: 3), layers: [Layer(name: "g", kind: .gru(gru))])
    let outputs = try run(model, sequence(Self.steps))
    expectClose(
      outputs[0].data, reference.run(Self.steps.map { $0.map(Double.init) }, h0: [0, 0, 0, 0]).sequence.flatMap { $0 })
  }

  /// The two reset modes differ on these weights, so a model read in the wrong mode fails.
  @Test func resetModesDiffer() throws {
    var (gru, _) = Self.layer(resetAfter: true)
    let after = try runFirst(
      makeModel(input: floatInput(features: 3), layers: [Layer(name: "g", kind: .gru(gru))]), sequence(Self.steps))
    gru.resetAfter = false
    let before = try runFirst(
      makeModel(input: floatInput(features: 3), layers: [Layer(name: "g", kind: .gru(gru))]), sequence(Self.steps))
    let difference = zip(after.data, before.data).map { abs($0 - $1) }.max() ?? 0
    #expect(difference > 1e-2)
  }

  /// Backward, with an initial state and a mask: the reference over the reversed valid steps.
  @Test func backwardWithInitialStateAndLengths() throws {
    var (gru, reference) = Self.layer(resetAfter: true)
    gru.direction = .backward
    gru.outputOrder = .input
    gru.returnSequences = false
    let h0: [Float] = [0.5, -0.25, 0.125, 1]
    let model = makeModel(
      input: floatInput(features: 3), layers: [Layer(name: "g", kind: .gru(gru))],
      extraInputs: [
        ModelInput(name: "h0", elementType: .float32, shape: [nil, 4], role: .initialHiddenState(layer: 0)),
        ModelInput(name: "lengths", elementType: .int32, shape: [nil], role: .sequenceLengths),
      ])
    let outputs = try run(
      model, sequence(Self.steps), Tensor(shape: [1, 4], data: h0), Tensor(shape: [1], data: [6]))
    let valid = Array(Self.steps[0..<6].reversed()).map { $0.map(Double.init) }
    expectClose(outputs[0].data, reference.run(valid, h0: h0.map(Double.init)).h)
  }
}

/// A Bidirectional whose directions differ in size (a Keras `backward_layer` with its own units, or a
/// hand-written canonical file) gives its states concatenated per sample, `[batch, Hf + Hb]`: this
/// crashed with an index out of range before, reading the backward states with the forward size.
@Suite struct BidirectionalOfUnequalSizesTests {
  @Test func statesOfDirectionsOfDifferentSizesAreConcatenated() throws {
    let (forward, forwardReference) = GRUStepTests.layer(resetAfter: true, input: 3, hidden: 4)
    var (backward, backwardReference) = GRUStepTests.layer(resetAfter: false, input: 3, hidden: 2)
    backward.direction = .backward
    let layer = Layer(
      name: "bi", kind: .bidirectional(BidirectionalLayer(forward: forward, backward: backward, mergeMode: .concat)))
    let model = makeModel(
      input: floatInput(features: 3), layers: [layer],
      outputs: [ModelOutput(name: "h", layer: 0, port: .hiddenStates)])
    let steps = GRUStepTests.steps
    let states = try runFirst(model, sequence(steps))
    let xs = steps.map { $0.map(Double.init) }
    let expected =
      forwardReference.run(xs, h0: [0, 0, 0, 0]).h + backwardReference.run(xs.reversed(), h0: [0, 0]).h
    expectTensor(states, shape: [1, 6], expected, tolerance: 1e-5)
  }
}
