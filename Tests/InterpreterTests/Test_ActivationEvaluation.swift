import CanonicalModel
import Testing

@testable import Interpreter

@Suite struct Test_ActivationEvaluation {
  /// Known values (from the definitions, computed once in double precision).
  @Test(
    arguments: [
      (Activation.linear, -2.5, -2.5),
      (.relu, -2, 0), (.relu, 3, 3),
      (.sigmoid, 0, 0.5), (.sigmoid, 2, 0.8807970779778823), (.sigmoid, -2, 0.11920292202211755),
      (.tanh, 0.5, 0.46211715726000974),
      // Keras 2: clip(0.2x + 0.5, 0, 1); Keras 3: clip(x / 6 + 0.5, 0, 1).
      (.hardSigmoid(slope: 0.2, offset: 0.5), 1, 0.7),
      (.hardSigmoid(slope: 1.0 / 6.0, offset: 0.5), 1, 0.6666667),
      (.hardSigmoid(slope: 0.2, offset: 0.5), 2.5, 1), (.hardSigmoid(slope: 0.2, offset: 0.5), -3, 0),
      (.hardSigmoid(slope: 1.0 / 6.0, offset: 0.5), 3, 1),
      (.hardSigmoid(slope: 1.0 / 6.0, offset: 0.5), -2.9, 0.0166667),
      (.softsign, 1, 0.5), (.softsign, -3, -0.75),
      (.softplus, 0, 0.6931471805599453), (.softplus, 1, 1.3132616875182228), (.softplus, 100, 100),
      (.softplus, -100, 0),
      (.elu(alpha: 0.5), -1, -0.31606027941427883), (.elu(alpha: 0.5), 2, 2),
      (.selu, -1, -1.1113307378125625), (.selu, 1, 1.0507009873554805),
      (.swish, 1, 0.7310585786300049), (.swish, 0, 0),
      (.gelu(approximate: false), 1, 0.8413447460685429), (.gelu(approximate: false), -1, -0.15865525393145707),
      (.gelu(approximate: true), 1, 0.8411919906082768),
    ] as [(Activation, Float, Double)])
  func knownValues(activation: Activation, x: Float, expected: Double) {
    let y = activation.evaluate(x)
    #expect(abs(Double(y) - expected) <= 1e-6, "\(activation.description)(\(x)) = \(y), expected \(expected)")
  }

  @Test func sigmoidIsSafeAtBothEnds() {
    for x: Float in [-1000, -100, -88.8, 88.8, 100, 1000] {
      let y = Activation.sigmoid.evaluate(x)
      #expect(y.isFinite && y >= 0 && y <= 1, "sigmoid(\(x)) = \(y)")
    }
    #expect(Activation.sigmoid.evaluate(1000) == 1)
    #expect(Activation.sigmoid.evaluate(-1000) == 0)
  }

  @Test func softplusIsStableForLargeInputs() {
    #expect(Activation.softplus.evaluate(1000) == 1000)
    #expect(Activation.softplus.evaluate(-1000) == 0)
  }

  @Test func softmaxOfOneTwoThree() {
    var values: [Float] = [1, 2, 3]
    Activation.softmax.apply(to: &values, width: 3)
    expectClose(values, [0.09003057317038046, 0.24472847105479767, 0.6652409557748219], tolerance: 1e-7)
  }

  @Test func softmaxSubtractsTheMaximum() {
    var values: [Float] = [1000, 1001, 1002]
    Activation.softmax.apply(to: &values, width: 3)
    expectClose(values, [0.09003057317038046, 0.24472847105479767, 0.6652409557748219], tolerance: 1e-7)
  }

  @Test func softmaxActsOnEachRowSeparately() {
    var values: [Float] = [1, 2, 3, 0, 0, 0]
    Activation.softmax.apply(to: &values, width: 3)
    expectClose(
      values, [0.09003057317038046, 0.24472847105479767, 0.6652409557748219, 1.0 / 3, 1.0 / 3, 1.0 / 3],
      tolerance: 1e-7)
  }

  @Test(arguments: [
    Activation.linear, .relu, .sigmoid, .tanh, .hardSigmoid(slope: 0.2, offset: 0.5), .softsign, .softplus,
    .elu(alpha: 1), .selu, .swish, .gelu(approximate: false), .gelu(approximate: true),
  ])
  func bufferAndScalarFormsAgree(activation: Activation) {
    let xs: [Float] = [-7, -2.5, -1, -0.25, 0, 0.3, 1, 2.5, 9]
    var values = xs
    activation.apply(to: &values, width: 3)
    for (x, y) in zip(xs, values) {
      #expect(y == activation.evaluate(x), "\(activation.description)(\(x))")
    }
  }

  @Test func nonFiniteValuesPassThroughTheElementwiseKernels() {
    #expect(Activation.tanh.evaluate(.nan).isNaN)
    #expect(Activation.sigmoid.evaluate(.infinity) == 1)
    #expect(Activation.sigmoid.evaluate(-.infinity) == 0)
    #expect(Activation.relu.evaluate(-.infinity) == 0)
  }
}
