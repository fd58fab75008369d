import CanonicalModel
import Foundation

/// A small, slow, independent forward pass over an imported model, in Double,
/// following Keras's semantics; tests use it to compare imported weights and
/// flags against the predictions real Keras recorded in the fixtures.
struct ReferenceForwardPass {
  /// A value flowing along the chain: `[batch][time][features]` (a vector is one step).
  private struct Value {
    var steps: [[[Double]]]
    var isSequence: Bool
    var mask: [[Bool]]?
  }

  /// Final states of each recurrent layer direction, by layer index.
  private var states: [Int: [Direction: (h: [[Double]], c: [[Double]])]] = [:]

  let model: Model

  init(model: Model) {
    self.model = model
  }

  /// Runs the model on `input` (flat, shape `[batch, time(, features)]`) and returns each output, flat.
  mutating func run(input: [Double], shape: [Int]) -> [[Double]] {
    let batch = shape[0]
    let time = shape[1]
    let features = shape.count > 2 ? shape[2] : 1
    var value = Value(
      steps: (0..<batch).map { b in
        (0..<time).map { t in Array(input[((b * time + t) * features)..<((b * time + t + 1) * features)]) }
      }, isSequence: true, mask: nil)
    var outputs: [Value] = []
    for (index, layer) in model.layers.enumerated() {
      value = apply(layer.kind, to: value, index: index)
      outputs.append(value)
    }
    return model.outputs.map { output in
      switch output.port {
      case .output:
        return outputs[output.layer].steps.flatMap { outputs[output.layer].isSequence ? $0.flatMap { $0 } : $0[0] }
      case .hiddenState(let direction):
        return states[output.layer]?[direction]?.h.flatMap { $0 } ?? []
      case .cellState(let direction):
        return states[output.layer]?[direction]?.c.flatMap { $0 } ?? []
      case .hiddenStates, .cellStates:
        preconditionFailure("Keras import produces no stacked-state outputs")
      }
    }
  }

  private mutating func apply(_ kind: LayerKind, to value: Value, index: Int) -> Value {
    switch kind {
    case .lastTimeStep:
      return Value(steps: value.steps.map { [$0.last!] }, isSequence: false, mask: nil)
    case .masking(let masking):
      let mask = value.steps.map { $0.map { step in step.contains { $0 != Double(masking.maskValue) } } }
      let steps = zip(value.steps, mask).map { zip($0, $1).map { $1 ? $0 : $0.map { _ in 0 } } }
      return Value(steps: steps, isSequence: true, mask: mask)
    case .embedding(let embedding):
      let d = embedding.dimension
      let steps = value.steps.map {
        $0.map { step in
          let row = Int(step[0])
          return (0..<d).map { Double(embedding.table.data[row * d + $0]) }
        }
      }
      let mask = embedding.maskZero ? value.steps.map { $0.map { $0[0] != 0 } } : nil
      return Value(steps: steps, isSequence: true, mask: mask)
    case .dense(let dense), .timeDistributedDense(let dense):
      let steps = value.steps.map { $0.map { applyDense(dense, $0) } }
      return Value(steps: steps, isSequence: value.isSequence, mask: value.mask)
    case .activation(let activation):
      return Value(
        steps: value.steps.map { $0.map { activate(activation, $0) } }, isSequence: value.isSequence, mask: value.mask)
    case .lstm, .gru:
      let layer = kind.singleRecurrent!
      let (sequence, last, h, c) = run(layer, value)
      states[index] = [layer.direction: (h, c)]
      return layer.returnSequences
        ? Value(steps: sequence, isSequence: true, mask: value.mask)
        : Value(steps: last.map { [$0] }, isSequence: false, mask: nil)
    case .bidirectional(let bi):
      let forward = run(bi.forward, value)
      let backward = run(bi.backward, value)
      states[index] = [.forward: (forward.h, forward.c), .backward: (backward.h, backward.c)]
      func merge(_ a: [Double], _ b: [Double]) -> [Double] {
        switch bi.mergeMode {
        case .concat: return a + b
        case .sum: return zip(a, b).map(+)
        case .mul: return zip(a, b).map(*)
        case .ave: return zip(a, b).map { ($0 + $1) / 2 }
        }
      }
      if bi.forward.returnSequences {
        let steps = zip(forward.sequence, backward.sequence).map { zip($0, $1).map(merge) }
        return Value(steps: steps, isSequence: true, mask: value.mask)
      }
      return Value(steps: zip(forward.last, backward.last).map { [merge($0, $1)] }, isSequence: false, mask: nil)
    }
  }

  /// Keras's masked RNN loop: a masked step keeps the state and repeats the
  /// previous output (or outputs zeros when `zeroOutputForMask`).
  private func run(_ layer: RecurrentLayer, _ value: Value)
    -> (sequence: [[[Double]]], last: [[Double]], h: [[Double]], c: [[Double]])
  {
    let units = layer.hiddenSize
    var sequences: [[[Double]]] = []
    var lasts: [[Double]] = []
    var hs: [[Double]] = []
    var cs: [[Double]] = []
    for (b, steps) in value.steps.enumerated() {
      var h = [Double](repeating: 0, count: units)
      var c = [Double](repeating: 0, count: units)
      var previous = [Double](repeating: 0, count: units)
      var outputs: [[Double]] = []
      let order = layer.direction == .forward ? Array(steps.indices) : Array(steps.indices.reversed())
      for t in order {
        let keep = value.mask?[b][t] ?? true
        if keep {
          switch layer {
          case .lstm(let lstm): lstmStep(lstm, x: steps[t], h: &h, c: &c)
          case .gru(let gru): gruStep(gru, x: steps[t], h: &h)
          }
          previous = h
          outputs.append(h)
        } else {
          outputs.append(layer.zeroOutputForMask ? [Double](repeating: 0, count: units) : previous)
        }
      }
      lasts.append(outputs.last ?? h)
      if layer.direction == .backward && layer.outputOrder == .input { outputs.reverse() }
      sequences.append(outputs)
      hs.append(h)
      cs.append(c)
    }
    return (sequences, lasts, hs, cs)
  }

  /// `W x + b` and `U v` of one gate, in Double.
  private func affine(_ w: GateWeights, _ x: [Double]) -> [Double] {
    let rows = w.b.elementCount
    let columns = x.count
    return (0..<rows).map { r in
      var sum = Double(w.b.data[r])
      for k in 0..<columns { sum += Double(w.W.data[r * columns + k]) * x[k] }
      return sum
    }
  }

  private func recurrent(_ w: GateWeights, _ h: [Double]) -> [Double] {
    let units = h.count
    return (0..<units).map { r in (0..<units).reduce(0.0) { $0 + Double(w.U.data[r * units + $1]) * h[$1] } }
  }

  private func lstmStep(_ lstm: LSTMLayer, x: [Double], h: inout [Double], c: inout [Double]) {
    let state = h
    func z(_ gate: Gate) -> [Double] {
      zip(affine(lstm.weights[gate], x), recurrent(lstm.weights[gate], state)).map(+)
    }
    let i = activate(lstm.activations.gate, z(.input))
    let f = activate(lstm.activations.gate, z(.forget))
    let g = activate(lstm.activations.cell, z(.cell))
    let o = activate(lstm.activations.gate, z(.output))
    c = (0..<h.count).map { f[$0] * c[$0] + i[$0] * g[$0] }
    let hc = activate(lstm.activations.hidden, c)
    h = (0..<h.count).map { o[$0] * hc[$0] }
  }

  /// Keras's GRUCell: `reset_after` multiplies `U_h h + bU` by r; otherwise `U_h (r ⊙ h)`.
  private func gruStep(_ gru: GRULayer, x: [Double], h: inout [Double]) {
    let w = gru.weights
    let bU = w.candidateRecurrentBias.data.map(Double.init)
    let z = activate(gru.activations.gate, zip(affine(w.update, x), recurrent(w.update, h)).map(+))
    let r = activate(gru.activations.gate, zip(affine(w.reset, x), recurrent(w.reset, h)).map(+))
    let inner: [Double]
    if gru.resetAfter {
      inner = zip(r, zip(recurrent(w.candidate, h), bU).map(+)).map(*)
    } else {
      inner = zip(recurrent(w.candidate, zip(r, h).map(*)), bU).map(+)
    }
    let n = activate(gru.activations.candidate, zip(affine(w.candidate, x), inner).map(+))
    h = (0..<h.count).map { z[$0] * h[$0] + (1 - z[$0]) * n[$0] }
  }

  private func applyDense(_ dense: DenseLayer, _ x: [Double]) -> [Double] {
    let z = (0..<dense.units).map { r in
      var sum = Double(dense.bias?.data[r] ?? 0)
      for k in 0..<dense.inputSize { sum += Double(dense.kernel.data[r * dense.inputSize + k]) * x[k] }
      return sum
    }
    return activate(dense.activation, z)
  }

  private func activate(_ activation: Activation, _ x: [Double]) -> [Double] {
    switch activation {
    case .softmax:
      let m = x.max() ?? 0
      let e = x.map { Foundation.exp($0 - m) }
      let s = e.reduce(0, +)
      return e.map { $0 / s }
    default:
      return x.map { scalar(activation, $0) }
    }
  }

  private func scalar(_ activation: Activation, _ x: Double) -> Double {
    switch activation {
    case .linear: return x
    case .relu: return max(x, 0)
    case .sigmoid: return 1 / (1 + Foundation.exp(-x))
    case .tanh: return Foundation.tanh(x)
    case .hardSigmoid(let slope, let offset): return min(max(Double(slope) * x + Double(offset), 0), 1)
    case .softsign: return x / (1 + abs(x))
    case .softplus: return max(x, 0) + Foundation.log1p(Foundation.exp(-abs(x)))
    case .elu(let alpha): return x > 0 ? x : Double(alpha) * (Foundation.exp(x) - 1)
    case .selu:
      return 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Foundation.exp(x) - 1))
    case .swish: return x / (1 + Foundation.exp(-x))
    case .gelu(let approximate):
      if approximate {
        return 0.5 * x * (1 + Foundation.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))
      }
      return 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
    case .softmax: return x
    case .affine(let alpha, let beta): return Double(alpha) * x + Double(beta)
    case .leakyRelu(let alpha): return x >= 0 ? x : Double(alpha) * x
    case .thresholdedRelu(let alpha): return x > Double(alpha) ? x : 0
    case .scaledTanh(let alpha, let beta): return Double(alpha) * Foundation.tanh(Double(beta) * x)
    }
  }
}
