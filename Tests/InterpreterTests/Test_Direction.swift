import CanonicalModel
import Testing

@testable import Interpreter

@Suite struct Test_Direction {
  private let weights = ScalarLSTM()
  private let xs: [Float] = [1.0, -2.0, 0.5]

  private func run(_ lstm: LSTMLayer, ports: [LayerPort] = [.output]) throws -> [Tensor] {
    let m = makeModel(
      input: floatInput(features: 1), layers: [lstmLayer(lstm)],
      outputs: ports.map { ModelOutput(name: $0.identifier, layer: 0, port: $0) })
    return try Interpreter(model: m).run([sequence(xs.map { [$0] })])
  }

  /// The backward layer processes 0.5, -2, 1.
  private var processed: [Double] { weights.hiddenStates(xs.reversed().map(Double.init)).map(\.h) }

  @Test func backwardInProcessingOrderComesOutReversed() throws {
    let y = try run(weights.layer(direction: .backward, outputOrder: .processing))[0]
    expectTensor(y, shape: [1, 3, 1], processed)
  }

  @Test func backwardInInputOrderIsAlignedToTheInput() throws {
    let y = try run(weights.layer(direction: .backward, outputOrder: .input))[0]
    expectTensor(y, shape: [1, 3, 1], processed.reversed())
  }

  @Test func backwardLastOutputAndStatesFollowTheLastProcessedStep() throws {
    let states = weights.hiddenStates(xs.reversed().map(Double.init))
    for order in [SequenceOrder.processing, .input] {
      let outputs = try run(
        weights.layer(direction: .backward, outputOrder: order, returnSequences: false),
        ports: [.output, .hiddenState(.backward), .cellState(.backward)])
      expectTensor(outputs[0], shape: [1, 1], [states[2].h])
      expectTensor(outputs[1], shape: [1, 1], [states[2].h])
      expectTensor(outputs[2], shape: [1, 1], [states[2].c])
    }
  }

  @Test func forwardIgnoresTheOutputOrder() throws {
    let expected = weights.hiddenStates(xs.map(Double.init)).map(\.h)
    for order in [SequenceOrder.processing, .input] {
      expectTensor(try run(weights.layer(outputOrder: order))[0], shape: [1, 3, 1], expected)
    }
  }

  @Test func returnStatePortsOfAForwardLayer() throws {
    let states = weights.hiddenStates(xs.map(Double.init))
    let outputs = try run(weights.layer(), ports: [.cellState(.forward), .output, .hiddenState(.forward)])
    expectTensor(outputs[0], shape: [1, 1], [states[2].c])
    expectTensor(outputs[1], shape: [1, 3, 1], states.map(\.h))
    expectTensor(outputs[2], shape: [1, 1], [states[2].h])
  }
}
