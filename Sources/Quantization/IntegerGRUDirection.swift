import CanonicalModel

/// One quantized GRU direction unpacked for the integer reference's time sweep,
/// in the loop order of ``IntegerLSTMDirection``.
///
/// Per step, with `zH` the hidden zero point (0 in `int16x8_16`), per row `j`
/// (all integer, in this order):
/// 1. update and reset gates, `g` in (update, reset):
///    `a = sat16(px + ph)` (the two Q3.12 products as in the LSTM), clamped to `±clip`,
///    `z_j, r_j = sigmoid(a)` (Q0.15; or the hard sigmoid, ``IntegerGateActivation``);
/// 2. candidate pre-activation (Q3.12), `px = W_n x + b_n` as a product:
///    - reset after (`resetAfter`): `ph = sat16(multiply(bU' + Σ U_n h))` (`bU` folded in),
///      `a = sat16(px + rshr(r_j * ph, 15))`;
///    - reset before: first, for every `k`, `rh_k = zH + rshr(r_k * (h_k - zH), 15)`
///      (`r ⊙ h` in `h`'s own codes), then `a = sat16(px + sat16(multiply(bU' + Σ U_n rh)))`;
///    clamped to `±clip`, `n_j = tanh(a)` (Q0.15);
/// 3. `h_j = sat(zH + multiply((32768 - z_j) * n_j, mH, sH) + rshr(z_j * (h_j - zH), 15))`:
///    the new part `(1 - z) n` is Q0.30 requantized by the hidden multiplier (as the LSTM's
///    `o tanh(c)`), the kept part `z h` stays in `h`'s codes.
/// Every `h` of step 3 is written after steps 1 and 2 have read the previous `h`.
struct IntegerGRUDirection {
  typealias Product = IntegerLSTMDirection.Product

  let layer: GRULayer
  /// Input and recurrent products in gate order update, reset, candidate.
  let inputProducts: [Product]
  let recurrentProducts: [Product]
  let hiddenMultiplier: Int32
  let hiddenShift: Int32
  let hiddenZeroPoint: Int32
  let gateClip: Int32?
  let type: IntegerElementType
  /// The activation of the update and reset gates.
  let gateActivation: IntegerGateActivation

  init(
    layer: GRULayer, quantized: QuantizedRecurrentDirection, hidden: QuantizationParameters,
    type: IntegerElementType
  ) throws {
    self.layer = layer
    (inputProducts, recurrentProducts) = try Product.gates(
      GRUGate.allCases.map(\.rawValue), of: quantized, wide: type == .int16, kind: "GRU")
    hiddenMultiplier = quantized.hiddenMultiplier
    hiddenShift = quantized.hiddenShift
    hiddenZeroPoint = hidden.zeroPoint
    gateClip = quantized.gateClip
    self.type = type
    guard let gateActivation = IntegerGateActivation(layer.activations.gate) else {
      throw QuantizationError.unsupported(
        layer: "", reason: "GRU gate activation \(layer.activations.gate.name) has no integer form")
    }
    self.gateActivation = gateActivation
  }

  /// `z` clamped to the clip, if any.
  @inline(__always)
  func clipped(_ z: Int32) -> Int16 {
    guard let gateClip else { return Int16(z) }
    return Int16(min(max(z, -gateClip), gateClip))
  }

  /// Runs the direction over `x`; returns the output (sequence or last step) and the final `h`.
  func run(_ x: IntegerValue) -> (output: IntegerValue, finalHidden: [Int32]) {
    let batch = x.batch
    let time = x.steps
    let inputSize = layer.inputSize
    let hidden = layer.hiddenSize
    let backward = layer.direction == .backward
    let reversedOutput = backward && layer.outputOrder == .processing
    let zero = hiddenZeroPoint
    var sequence = [Int32](repeating: zero, count: layer.returnSequences ? batch * time * hidden : 0)
    var finalHidden = [Int32](repeating: zero, count: batch * hidden)
    var h = [Int32](repeating: zero, count: hidden)
    var resetHidden = [Int32](repeating: zero, count: hidden)
    var gates = [Int32](repeating: 0, count: 3 * hidden)
    for sample in 0..<batch {
      for j in 0..<hidden { h[j] = zero }
      for k in 0..<time {
        let t = backward ? time - 1 - k : k
        let start = (sample * time + t) * inputSize
        x.data[start..<(start + inputSize)].withUnsafeBufferPointer { xt in
          h.withUnsafeBufferPointer { hp in
            for g in 0..<2 {
              for j in 0..<hidden {
                let px = inputProducts[g].row(j, xt, columns: inputSize)
                let ph = recurrentProducts[g].row(j, hp, columns: hidden)
                gates[g * hidden + j] = Int32(gateActivation(clipped(Int32(FixedPoint.saturate16(px + ph)))))
              }
            }
            if !layer.resetAfter {
              for j in 0..<hidden {
                resetHidden[j] = zero + FixedPoint.roundingShiftRight(gates[hidden + j] * (hp[j] - zero), 15)
              }
            }
          }
          resetHidden.withUnsafeBufferPointer { rh in
            h.withUnsafeBufferPointer { hp in
              for j in 0..<hidden {
                let px = inputProducts[2].row(j, xt, columns: inputSize)
                let a: Int32
                if layer.resetAfter {
                  let ph = recurrentProducts[2].row(j, hp, columns: hidden)
                  a = px + FixedPoint.roundingShiftRight(gates[hidden + j] * ph, 15)
                } else {
                  a = px + recurrentProducts[2].row(j, rh, columns: hidden)
                }
                gates[2 * hidden + j] = Int32(FixedPoint.tanh(clipped(Int32(FixedPoint.saturate16(a)))))
              }
            }
          }
        }
        for j in 0..<hidden {
          let update = gates[j]
          let candidate = gates[2 * hidden + j]
          let added = FixedPoint.multiply((32768 - update) * candidate, by: hiddenMultiplier, shift: hiddenShift)
          let kept = FixedPoint.roundingShiftRight(update * (h[j] - zero), 15)
          h[j] = FixedPoint.saturate(Int32(clamping: Int64(zero) + Int64(added) + Int64(kept)), to: type)
        }
        if layer.returnSequences {
          let slot = reversedOutput ? k : t
          let base = (sample * time + slot) * hidden
          for j in 0..<hidden { sequence[base + j] = h[j] }
        }
      }
      for j in 0..<hidden { finalHidden[sample * hidden + j] = h[j] }
    }
    let output =
      layer.returnSequences
      ? IntegerValue(data: sequence, batch: batch, time: time, features: hidden)
      : IntegerValue(data: finalHidden, batch: batch, time: nil, features: hidden)
    return (output, finalHidden)
  }
}
