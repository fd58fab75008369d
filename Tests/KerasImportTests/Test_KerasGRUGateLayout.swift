import CanonicalModel
import Testing

@testable import KerasImport

@Suite("Keras GRU gate layout")
struct Test_KerasGRUGateLayout {
  @Test("Keras packs GRU gates z, r, h")
  func order() {
    #expect(KerasGRUGateLayout.order == [.update, .reset, .candidate])
  }

  // kernel[c][k] = 100 c + k, recurrent[c][k] = 1000 + 100 c + k,
  // input bias[k] = -k, recurrent bias[k] = 0.5 k
  let inputs = 2
  let units = 3
  var kernel: [Float] { (0..<inputs).flatMap { c in (0..<(3 * units)).map { Float(100 * c + $0) } } }
  var recurrent: [Float] { (0..<units).flatMap { c in (0..<(3 * units)).map { Float(1000 + 100 * c + $0) } } }
  var inputBias: [Float] { (0..<(3 * units)).map { Float(-$0) } }
  var recurrentBias: [Float] { (0..<(3 * units)).map { Float($0) / 2 } }

  @Test("split transposes each column block; z and r sum both bias rows, the candidate keeps bU apart")
  func split() {
    let weights = KerasGRUGateLayout.split(
      kernel: kernel, recurrentKernel: recurrent, inputBias: inputBias, recurrentBias: recurrentBias,
      inputSize: inputs, units: units)
    for (block, gate) in [(0, GRUGate.update), (1, .reset), (2, .candidate)] {
      let gateWeights = weights[gate]
      #expect(gateWeights.W.shape == [units, inputs])
      #expect(gateWeights.U.shape == [units, units])
      for r in 0..<units {
        let k = block * units + r
        for c in 0..<inputs { #expect(gateWeights.W.data[r * inputs + c] == Float(100 * c + k)) }
        for c in 0..<units { #expect(gateWeights.U.data[r * units + c] == Float(1000 + 100 * c + k)) }
        let expected = gate == .candidate ? Float(-k) : Float(-k) + Float(k) / 2
        #expect(gateWeights.b.data[r] == expected, "\(gate) b[\(r)]")
      }
    }
    #expect(weights.candidateRecurrentBias == Tensor(shape: [units], data: [3, 3.5, 4]))
  }

  @Test("reset before (one bias row) and no bias give a zero bU")
  func withoutRecurrentBias() {
    let before = KerasGRUGateLayout.split(
      kernel: kernel, recurrentKernel: recurrent, inputBias: inputBias, recurrentBias: nil, inputSize: inputs,
      units: units)
    #expect(before.update.b.data == [0, -1, -2])
    #expect(before.candidate.b.data == [-6, -7, -8])
    #expect(before.candidateRecurrentBias == Tensor(shape: [units]))
    let unbiased = KerasGRUGateLayout.split(
      kernel: kernel, recurrentKernel: recurrent, inputBias: nil, recurrentBias: nil, inputSize: inputs, units: units)
    #expect(unbiased.reset.b == Tensor(shape: [units]))
    #expect(unbiased.candidateRecurrentBias == Tensor(shape: [units]))
  }
}
