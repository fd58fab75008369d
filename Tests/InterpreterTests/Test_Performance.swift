import CanonicalModel
import Foundation
import Testing

@testable import Interpreter

@Suite struct Test_Performance {
  /// A 64-input, 128-unit LSTM over 100 steps: the result stays finite and
  /// bounded (|h| < 1 with sigmoid and tanh); the time is printed (milliseconds in release).
  @Test func largeLayer() throws {
    let (inputSize, hidden, time) = (64, 128, 100)
    var generator = SplitMix(seed: 11)
    func gate() -> GateWeights {
      GateWeights(
        W: Tensor(shape: [hidden, inputSize], data: generator.floats(hidden * inputSize, scale: 0.2)),
        U: Tensor(shape: [hidden, hidden], data: generator.floats(hidden * hidden, scale: 0.2)),
        b: Tensor(shape: [hidden], data: generator.floats(hidden, scale: 0.2)))
    }
    let lstm = LSTMLayer(
      inputSize: inputSize, hiddenSize: hidden, returnSequences: true,
      weights: LSTMWeights(input: gate(), forget: gate(), cell: gate(), output: gate()))
    let interpreter = try Interpreter(
      model: makeModel(input: floatInput(features: inputSize), layers: [lstmLayer(lstm)]))
    let x = Tensor(shape: [1, time, inputSize], data: generator.floats(time * inputSize))
    let start = ContinuousClock.now
    let y = try interpreter.run([x])[0]
    let elapsed = ContinuousClock.now - start
    print("LSTM 64→128 over 100 steps: \(elapsed)")
    #expect(y.shape == [1, time, hidden])
    #expect(y.data.allSatisfy { $0.isFinite && abs($0) < 1 })
  }
}
