import CanonicalModel
import Foundation
import Testing

@testable import Interpreter

// Small builders for hand-made models, and a scalar LSTM reference written out
// formula by formula, so that tests derive expected values independently of
// the interpreter.

// MARK: - Tensors and models

/// A batch-of-one sequence `[1, time, features]` from its steps.
func sequence(_ steps: [[Float]]) -> Tensor {
  Tensor(shape: [1, steps.count, steps.first?.count ?? 0], data: steps.flatMap { $0 })
}

/// A batch of sequences `[batch, time, features]`.
func batch(_ samples: [[[Float]]]) -> Tensor {
  Tensor(
    shape: [samples.count, samples[0].count, samples[0][0].count], data: samples.flatMap { $0.flatMap { $0 } })
}

/// A float sequence input `[nil, time, features]`.
func floatInput(_ name: String = "x", time: Int? = nil, features: Int) -> ModelInput {
  ModelInput(name: name, elementType: .float32, shape: [nil, time, features])
}

/// A model over the given layers; by default its one output is the last layer's main output.
func makeModel(input: ModelInput, layers: [Layer], outputs: [ModelOutput]? = nil, extraInputs: [ModelInput] = [])
  -> Model
{
  Model(
    inputs: [input] + extraInputs, layers: layers,
    outputs: outputs ?? [ModelOutput(name: "y", layer: layers.count - 1)],
    source: ModelSource(format: "test", framework: "hand-made", file: "-"))
}

/// Runs a model and returns its outputs.
func run(_ model: Model, _ inputs: Tensor...) throws -> [Tensor] {
  try Interpreter(model: model).run(inputs)
}

/// Runs a model and returns its first output.
func runFirst(_ model: Model, _ inputs: Tensor...) throws -> Tensor {
  try Interpreter(model: model).run(inputs)[0]
}

// MARK: - Comparisons

/// Checks element by element that `actual` is within `tolerance` of `expected`.
func expectClose(
  _ actual: [Float], _ expected: [Double], tolerance: Double = 1e-5, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(actual.count == expected.count, "count \(actual.count) != \(expected.count)", sourceLocation: sourceLocation)
  for (k, (a, e)) in zip(actual, expected).enumerated() {
    #expect(
      abs(Double(a) - e) <= tolerance, "element \(k): \(a) vs expected \(e)", sourceLocation: sourceLocation)
  }
}

/// Checks a tensor's shape and data.
func expectTensor(
  _ tensor: Tensor, shape: [Int], _ expected: [Double], tolerance: Double = 1e-5,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(tensor.shape == shape, "shape \(tensor.shape) != \(shape)", sourceLocation: sourceLocation)
  expectClose(tensor.data, expected, tolerance: tolerance, sourceLocation: sourceLocation)
}

// MARK: - A one-unit LSTM with one input feature

/// `W`, `U` and `b` of one gate of a one-unit, one-input LSTM.
struct ScalarGate {
  var w: Double
  var u: Double
  var b: Double
}

/// A one-unit, one-input LSTM's parameters, with a reference step in Double.
struct ScalarLSTM {
  var input = ScalarGate(w: 0.5, u: 0.1, b: 0.05)
  var forget = ScalarGate(w: -0.3, u: 0.4, b: 1.0)
  var cell = ScalarGate(w: 0.8, u: -0.6, b: -0.1)
  var output = ScalarGate(w: 0.2, u: 0.7, b: 0.3)
  /// Peepholes `P_i`, `P_f`, `P_o` (zero when unused).
  var peepholeInput: Double? = nil
  var peepholeForget: Double? = nil
  var peepholeOutput: Double? = nil

  /// The canonical layer holding these weights.
  func layer(
    direction: Direction = .forward, outputOrder: SequenceOrder = .processing, returnSequences: Bool = true,
    activations: LSTMActivations = .standard, clip: Float? = nil, coupledInputForget: Bool = false,
    zeroOutputForMask: Bool = false
  ) -> LSTMLayer {
    func gate(_ g: ScalarGate) -> GateWeights {
      GateWeights(
        W: Tensor(shape: [1, 1], data: [Float(g.w)]), U: Tensor(shape: [1, 1], data: [Float(g.u)]),
        b: Tensor(shape: [1], data: [Float(g.b)]))
    }
    var peepholes: [Gate: Tensor] = [:]
    if let p = peepholeInput { peepholes[.input] = Tensor(shape: [1], data: [Float(p)]) }
    if let p = peepholeForget { peepholes[.forget] = Tensor(shape: [1], data: [Float(p)]) }
    if let p = peepholeOutput { peepholes[.output] = Tensor(shape: [1], data: [Float(p)]) }
    return LSTMLayer(
      inputSize: 1, hiddenSize: 1, direction: direction, outputOrder: outputOrder, returnSequences: returnSequences,
      weights: LSTMWeights(
        input: gate(input), forget: gate(forget), cell: gate(cell), output: gate(output), peepholes: peepholes),
      activations: activations, clip: clip, coupledInputForget: coupledInputForget,
      zeroOutputForMask: zeroOutputForMask)
  }

  /// One standard step (sigmoid gates, tanh cell and hidden), written out.
  func step(x: Double, h: Double, c: Double) -> (h: Double, c: Double) {
    let zi = input.w * x + input.u * h + input.b + (peepholeInput ?? 0) * c
    let zf = forget.w * x + forget.u * h + forget.b + (peepholeForget ?? 0) * c
    let zc = cell.w * x + cell.u * h + cell.b
    let i = 1 / (1 + exp(-zi))
    let f = 1 / (1 + exp(-zf))
    let g = tanh(zc)
    let cNew = f * c + i * g
    let zo = output.w * x + output.u * h + output.b + (peepholeOutput ?? 0) * cNew
    let o = 1 / (1 + exp(-zo))
    return (o * tanh(cNew), cNew)
  }

  /// The `h` after each processed step, with `nil` marking a masked step (state kept).
  func hiddenStates(_ xs: [Double?]) -> [(h: Double, c: Double)] {
    var state = (h: 0.0, c: 0.0)
    return xs.map { x in
      if let x { state = step(x: x, h: state.h, c: state.c) }
      return state
    }
  }
}

/// A one-step-per-row LSTM layer wrapped as a model layer.
func lstmLayer(_ lstm: LSTMLayer, name: String = "lstm") -> Layer {
  Layer(name: name, kind: .lstm(lstm))
}
