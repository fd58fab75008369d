import CanonicalModel
import Testing

@testable import KerasImport

@Suite("Keras gate layout")
struct Test_KerasGateLayout {
  @Test("Keras packs gates i, f, c, o")
  func order() {
    #expect(KerasGateLayout.order == [.input, .forget, .cell, .output])
  }

  @Test("split transposes each column block into W, U and b")
  func split() {
    let inputs = 2
    let units = 3
    // kernel[c][k] = 100 c + k, recurrent[c][k] = 1000 + 100 c + k, bias[k] = -k
    let kernel = (0..<inputs).flatMap { c in (0..<(4 * units)).map { Float(100 * c + $0) } }
    let recurrent = (0..<units).flatMap { c in (0..<(4 * units)).map { Float(1000 + 100 * c + $0) } }
    let bias = (0..<(4 * units)).map { Float(-$0) }
    let weights = KerasGateLayout.split(
      kernel: kernel, recurrentKernel: recurrent, bias: bias, inputSize: inputs, units: units)
    for (block, gate) in [(0, Gate.input), (1, .forget), (2, .cell), (3, .output)] {
      let gateWeights = weights[gate]
      #expect(gateWeights.W.shape == [units, inputs])
      #expect(gateWeights.U.shape == [units, units])
      for r in 0..<units {
        for c in 0..<inputs { #expect(gateWeights.W.data[r * inputs + c] == Float(100 * c + block * units + r)) }
        for c in 0..<units { #expect(gateWeights.U.data[r * units + c] == Float(1000 + 100 * c + block * units + r)) }
        #expect(gateWeights.b.data[r] == Float(-(block * units + r)))
      }
    }
    let unbiased = KerasGateLayout.split(
      kernel: kernel, recurrentKernel: recurrent, bias: nil, inputSize: inputs, units: units)
    #expect(unbiased.forget.b == Tensor(shape: [units]))
  }
}
