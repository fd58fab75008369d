import CanonicalModel

/// One quantized LSTM direction unpacked for the integer reference's time sweep.
///
/// Per step and gate `g`, per row `j` (all integer, in this order):
/// 1. `px = sat16(multiply(bW_j + Σ_k W_jk x_k, mW_j, sW_j))` (Q3.12),
///    `ph = sat16(multiply(bU_j + Σ_k U_jk h_k, mU_j, sU_j))` (Q3.12),
///    `z = sat16(px + ph)`, clamped to `±clip` when the layer clips;
/// 2. `i, f, o = sigmoid(z)` (or the hard sigmoid, ``IntegerGateActivation``), `g = tanh(z)` (Q0.15); coupled: `f = sat16(32768 - i)`;
/// 3. `c = sat16(rshr(f * c, 15) + rshr(i * g, 30 - F))` (cell Q·F);
/// 4. `h = requantize(o * tanh(toQ3_12(c)), mH, sH, zH)` (int8; int16 with `zH = 0` in `int16x8_16`),
/// where `rshr` is the rounding shift right and `multiply` the requantization of ``FixedPoint``.
/// Accumulators are int32 (int64 with `multiplyWide` in `int16x8_16`); the quantizer bounds
/// biases and sizes so they cannot overflow.
struct IntegerLSTMDirection {
  struct Product {
    var weights: [Int32]
    var bias: [Int32]
    var multipliers: [Int32]
    var shifts: [Int32]
    /// Scheme `int16x8_16`: accumulate in int64 and requantize with ``FixedPoint/multiplyWide(_:by:shift:)``.
    var wide: Bool

    init(_ matrix: QuantizedMatrix, wide: Bool = false) {
      self.wide = wide
      weights = matrix.weights.data
      bias = matrix.bias.data
      let rows = matrix.rows
      multipliers =
        matrix.multipliers.data.count == 1
        ? Array(repeating: matrix.multipliers.data[0], count: rows)
        : matrix.multipliers.data
      shifts =
        matrix.shifts.data.count == 1
        ? Array(repeating: matrix.shifts.data[0], count: rows)
        : matrix.shifts.data
    }

    /// Row `j` of `bias + weights · x`, requantized to Q3.12.
    @inline(__always)
    func row(_ j: Int, _ x: UnsafeBufferPointer<Int32>, columns: Int) -> Int32 {
      Int32(FixedPoint.saturate16(requantized(j, x, columns: columns)))
    }

    /// Row `j` of `bias + weights · x` requantized by the row's multiplier and shift, not yet narrowed.
    @inline(__always)
    func requantized(_ j: Int, _ x: UnsafeBufferPointer<Int32>, columns: Int) -> Int32 {
      if wide {
        var acc = Int64(bias[j])
        weights.withUnsafeBufferPointer { w in
          let base = j * columns
          for k in 0..<columns { acc += Int64(w[base + k] * x[k]) }
        }
        return FixedPoint.multiplyWide(acc, by: multipliers[j], shift: shifts[j])
      }
      var acc = bias[j]
      weights.withUnsafeBufferPointer { w in
        let base = j * columns
        for k in 0..<columns { acc = acc &+ w[base + k] &* x[k] }
      }
      return FixedPoint.multiply(acc, by: multipliers[j], shift: shifts[j])
    }

    /// The input and recurrent products of `quantized`'s gates named `gates`, in that order
    /// (`wide` for `int16x8_16`); `kind` names the layer kind when a gate is missing.
    static func gates(
      _ gates: [String], of quantized: QuantizedRecurrentDirection, wide: Bool, kind: String
    ) throws -> (inputs: [Product], recurrents: [Product]) {
      var inputs: [Product] = []
      var recurrents: [Product] = []
      for gate in gates {
        guard let parameters = quantized.gates[gate] else {
          throw QuantizationError.invalidInput("the quantized \(kind) lacks its \(gate) gate")
        }
        inputs.append(Product(parameters.input, wide: wide))
        recurrents.append(Product(parameters.recurrent, wide: wide))
      }
      return (inputs, recurrents)
    }
  }

  let layer: LSTMLayer
  /// Input and recurrent products in gate order input, forget, cell, output.
  let inputProducts: [Product]
  let recurrentProducts: [Product]
  let cellFractionBits: Int32
  let hiddenMultiplier: Int32
  let hiddenShift: Int32
  let hiddenZeroPoint: Int32
  let gateClip: Int32?
  let type: IntegerElementType
  /// The activation of the input, forget and output gates.
  let gateActivation: IntegerGateActivation

  init(
    layer: LSTMLayer, quantized: QuantizedRecurrentDirection, hidden: QuantizationParameters,
    type: IntegerElementType
  ) throws {
    self.layer = layer
    (inputProducts, recurrentProducts) = try Product.gates(
      Gate.allCases.map(\.rawValue), of: quantized, wide: type == .int16, kind: "LSTM")
    cellFractionBits = Int32(quantized.cellFractionBits)
    hiddenMultiplier = quantized.hiddenMultiplier
    hiddenShift = quantized.hiddenShift
    hiddenZeroPoint = hidden.zeroPoint
    gateClip = quantized.gateClip
    self.type = type
    guard let gateActivation = IntegerGateActivation(layer.activations.gate) else {
      throw QuantizationError.unsupported(
        layer: "", reason: "LSTM gate activation \(layer.activations.gate.name) has no integer form")
    }
    self.gateActivation = gateActivation
  }

  /// Runs the direction over `x`; returns the output (sequence or last step) and the final `h` and `c`.
  func run(_ x: IntegerValue) -> (output: IntegerValue, finalHidden: [Int32], finalCell: [Int32]) {
    let batch = x.batch
    let time = x.steps
    let inputSize = layer.inputSize
    let hidden = layer.hiddenSize
    let backward = layer.direction == .backward
    let reversedOutput = backward && layer.outputOrder == .processing
    var sequence = [Int32](repeating: hiddenZeroPoint, count: layer.returnSequences ? batch * time * hidden : 0)
    var finalHidden = [Int32](repeating: hiddenZeroPoint, count: batch * hidden)
    var finalCell = [Int32](repeating: 0, count: batch * hidden)
    var h = [Int32](repeating: hiddenZeroPoint, count: hidden)
    var c = [Int32](repeating: 0, count: hidden)
    var gates = [Int32](repeating: 0, count: 4 * hidden)
    let cellShift = 30 - cellFractionBits
    for sample in 0..<batch {
      for j in 0..<hidden {
        h[j] = hiddenZeroPoint
        c[j] = 0
      }
      for k in 0..<time {
        let t = backward ? time - 1 - k : k
        let start = (sample * time + t) * inputSize
        x.data[start..<(start + inputSize)].withUnsafeBufferPointer { xt in
          h.withUnsafeBufferPointer { hp in
            for g in 0..<4 {
              for j in 0..<hidden {
                let px = inputProducts[g].row(j, xt, columns: inputSize)
                let ph = recurrentProducts[g].row(j, hp, columns: hidden)
                var z = Int32(FixedPoint.saturate16(px + ph))
                if let clip = gateClip { z = min(max(z, -clip), clip) }
                gates[g * hidden + j] =
                  g == 2 ? Int32(FixedPoint.tanh(Int16(z))) : Int32(gateActivation(Int16(z)))
              }
            }
          }
        }
        for j in 0..<hidden {
          let i = gates[j]
          let f = layer.coupledInputForget ? Int32(FixedPoint.saturate16(32768 - i)) : gates[hidden + j]
          let g = gates[2 * hidden + j]
          let o = gates[3 * hidden + j]
          let kept = FixedPoint.roundingShiftRight(f * c[j], 15)
          let added = FixedPoint.roundingShiftRight(i * g, cellShift)
          c[j] = Int32(FixedPoint.saturate16(kept + added))
          let activated = Int32(FixedPoint.tanh(FixedPoint.toQ3_12(Int16(c[j]), fractionBits: Int(cellFractionBits))))
          h[j] = FixedPoint.requantize(
            o * activated, multiplier: hiddenMultiplier, shift: hiddenShift, zeroPoint: hiddenZeroPoint, to: type)
        }
        if layer.returnSequences {
          let slot = reversedOutput ? k : t
          let base = (sample * time + slot) * hidden
          for j in 0..<hidden { sequence[base + j] = h[j] }
        }
      }
      for j in 0..<hidden {
        finalHidden[sample * hidden + j] = h[j]
        finalCell[sample * hidden + j] = c[j]
      }
    }
    let output =
      layer.returnSequences
      ? IntegerValue(data: sequence, batch: batch, time: time, features: hidden)
      : IntegerValue(data: finalHidden, batch: batch, time: nil, features: hidden)
    return (output, finalHidden, finalCell)
  }
}
