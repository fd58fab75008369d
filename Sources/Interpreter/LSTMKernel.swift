import CanonicalModel

/// One LSTM direction with its gate weights packed for the forward pass.
///
/// The four gates are stacked in the order input, forget, cell, output, so a
/// step is one `[4H, I]` and one `[4H, H]` matrix–vector product. The input
/// projection `W x + b` of every step is computed before the recurrence. Both
/// products are stored transposed (`[I, 4H]`, `[H, 4H]`) and computed as one
/// axpy per input element, `z += column_k * v_k`: loops without a reduction,
/// which the compiler vectorizes (a dot product's sum would need reassociation).
struct LSTMKernel: Sendable {
  /// The layer's settings (direction, order, masking behaviour, activations).
  let layer: LSTMLayer
  /// `Wᵀ` `[I, 4H]`, then `Uᵀ` `[H, 4H]`, then `b` `[4H]`, each with the gates stacked in ``gateOrder``
  /// (row `k` of `Wᵀ` holds the 4H weights input element `k` feeds into).
  let parameters: [Float]
  /// Peephole weights `[H]` for the input, forget and output gates (`nil` when absent).
  let inputPeephole: [Float]?
  let forgetPeephole: [Float]?
  let outputPeephole: [Float]?

  /// The gates in packing order.
  static let gateOrder: [Gate] = [.input, .forget, .cell, .output]

  /// Packs a validated layer's weights.
  init(_ layer: LSTMLayer) {
    self.layer = layer
    let stackedW = Self.gateOrder.flatMap { layer.weights[$0].W.data }
    let stackedU = Self.gateOrder.flatMap { layer.weights[$0].U.data }
    parameters =
      Self.transposed(stackedW, rows: 4 * layer.hiddenSize, columns: layer.inputSize)
      + Self.transposed(stackedU, rows: 4 * layer.hiddenSize, columns: layer.hiddenSize)
      + Self.gateOrder.flatMap { layer.weights[$0].b.data }
    inputPeephole = layer.weights.peepholes[.input]?.data
    forgetPeephole = layer.weights.peepholes[.forget]?.data
    outputPeephole = layer.weights.peepholes[.output]?.data
  }

  /// A row-major `rows × columns` matrix, transposed.
  static func transposed(_ matrix: [Float], rows: Int, columns: Int) -> [Float] {
    var result = [Float](repeating: 0, count: matrix.count)
    for r in 0..<rows {
      for k in 0..<columns { result[k * rows + r] = matrix[r * columns + k] }
    }
    return result
  }

  /// Runs the layer over a sequence `[batch, time, inputSize]`, honouring its mask.
  ///
  /// At a masked step `h` and `c` stay unchanged and the output repeats the
  /// previous step's output (zero before the first unmasked step), or is zero
  /// under `zeroOutputForMask`. Without return_sequences the output is the last
  /// processed step's output, as in Keras: the final `h`, except that it is zero
  /// when `zeroOutputForMask` is set and that step is masked.
  func run(_ x: LayerValue, initialHidden: [Float]? = nil, initialCell: [Float]? = nil) -> RecurrentResult {
    let batch = x.batch
    let time = x.steps
    let inputSize = layer.inputSize
    let hidden = layer.hiddenSize
    let gates = 4 * hidden
    precondition(x.features == inputSize, "LSTM expects \(inputSize) features, got \(x.features)")

    let backward = layer.direction == .backward
    // Whether output step k is the k-th processed step (rather than input step t).
    let reversedOutput = backward && layer.outputOrder == .processing
    let returnSequences = layer.returnSequences
    let zeroOutputForMask = layer.zeroOutputForMask
    var mask = x.mask
    if let lengths = layer.sequenceLengths?.data {
      // Constant lengths: steps at or past a sample's length are masked.
      var combined = mask ?? [Bool](repeating: true, count: batch * time)
      for sample in 0..<batch {
        let length = Int(lengths[sample])
        for t in 0..<time where t >= length { combined[sample * time + t] = false }
      }
      mask = combined
    }
    let initialHidden = initialHidden ?? layer.initialHidden?.data
    let initialCell = initialCell ?? layer.initialCell?.data

    var sequence = [Float](repeating: 0, count: returnSequences ? batch * time * hidden : 0)
    var lastOutput = [Float](repeating: 0, count: batch * hidden)
    var finalHidden = [Float](repeating: 0, count: batch * hidden)
    var finalCell = [Float](repeating: 0, count: batch * hidden)

    // Scratch: one sample's input projection [time, 4H], the pre-activations z [4H], h, c, hidden(c).
    let scratchCount = time * gates + gates + 3 * hidden
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
    scratch.initialize(repeating: 0, count: scratchCount)
    defer { scratch.deallocate() }
    let projection = scratch
    let z = projection + time * gates
    let h = z + gates
    let c = h + hidden
    let activatedCell = c + hidden

    parameters.withUnsafeBufferPointer { parameters in
      x.data.withUnsafeBufferPointer { xs in
        let w = parameters.baseAddress!
        let u = w + gates * inputSize
        let b = u + gates * hidden
        for sample in 0..<batch {
          // W x_t + b for every step of this sample, hoisted out of the recurrence.
          let sampleInput = xs.baseAddress! + sample * time * inputSize
          for t in 0..<time {
            let out = projection + t * gates
            out.update(from: b, count: gates)
            VectorMath.multiplyAddTransposed(
              matrix: w, columns: inputSize, rows: gates, vector: sampleInput + t * inputSize, into: out)
          }
          if let initialHidden {
            for j in 0..<hidden { h[j] = initialHidden[sample * hidden + j] }
          } else {
            h.update(repeating: 0, count: hidden)
          }
          if let initialCell {
            for j in 0..<hidden { c[j] = initialCell[sample * hidden + j] }
          } else {
            c.update(repeating: 0, count: hidden)
          }
          // Whether the previous processed step's output is zero (true before the first step).
          // Otherwise it is h: a masked step leaves h unchanged and repeats the previous output.
          var previousOutputIsZero = true
          for k in 0..<time {
            let t = backward ? time - 1 - k : k
            if mask?[sample * time + t] ?? true {
              step(projection: projection + t * gates, u: u, z: z, h: h, c: c, activatedCell: activatedCell)
              previousOutputIsZero = false
            } else if zeroOutputForMask {
              previousOutputIsZero = true
            }
            if returnSequences && !previousOutputIsZero {
              let slot = reversedOutput ? k : t
              let start = (sample * time + slot) * hidden
              for j in 0..<hidden { sequence[start + j] = h[j] }
            }
          }
          let row = sample * hidden
          for j in 0..<hidden {
            finalHidden[row + j] = h[j]
            finalCell[row + j] = c[j]
            lastOutput[row + j] = previousOutputIsZero ? 0 : h[j]
          }
        }
      }
    }

    let output: LayerValue
    if returnSequences {
      let outputMask = mask
      // Keras passes the input mask on unchanged, even when a go_backwards layer returns
      // its sequence in processing order (RNN.compute_mask); so does lstmc.
      output = LayerValue(data: sequence, batch: batch, time: time, features: hidden, mask: outputMask)
    } else {
      output = LayerValue(data: lastOutput, batch: batch, time: nil, features: hidden, mask: nil)
    }
    return RecurrentResult(output: output, finalHidden: finalHidden, finalCell: finalCell)
  }

  /// One unmasked step: updates `h` and `c` in place from the step's input projection.
  @inline(__always)
  private func step(
    projection: UnsafePointer<Float>, u: UnsafePointer<Float>, z: UnsafeMutablePointer<Float>,
    h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, activatedCell: UnsafeMutablePointer<Float>
  ) {
    let hidden = layer.hiddenSize
    let gates = 4 * hidden
    let zi = z
    let zf = z + hidden
    let zc = z + 2 * hidden
    let zo = z + 3 * hidden

    z.update(from: projection, count: gates)
    VectorMath.multiplyAddTransposed(matrix: u, columns: hidden, rows: gates, vector: h, into: z)
    if let peephole = inputPeephole {
      for j in 0..<hidden { zi[j] += peephole[j] * c[j] }
    }
    if let peephole = forgetPeephole {
      for j in 0..<hidden { zf[j] += peephole[j] * c[j] }
    }
    if let clip = layer.clip {
      Self.clip(z, count: 3 * hidden, to: clip)
    }

    let activations = layer.activations
    activations.gate.apply(to: UnsafeMutableBufferPointer(start: zi, count: hidden))
    if layer.coupledInputForget {
      for j in 0..<hidden { zf[j] = 1 - zi[j] }
    } else {
      activations.gate.apply(to: UnsafeMutableBufferPointer(start: zf, count: hidden))
    }
    activations.cell.apply(to: UnsafeMutableBufferPointer(start: zc, count: hidden))
    for j in 0..<hidden { c[j] = zf[j] * c[j] + zi[j] * zc[j] }

    if let peephole = outputPeephole {
      for j in 0..<hidden { zo[j] += peephole[j] * c[j] }
    }
    if let clip = layer.clip {
      Self.clip(zo, count: hidden, to: clip)
    }
    activations.gate.apply(to: UnsafeMutableBufferPointer(start: zo, count: hidden))

    activatedCell.update(from: c, count: hidden)
    activations.hidden.apply(to: UnsafeMutableBufferPointer(start: activatedCell, count: hidden))
    for j in 0..<hidden { h[j] = zo[j] * activatedCell[j] }
  }

  /// Clips `count` values to `[-limit, limit]` (NaN passes through).
  @inline(__always)
  private static func clip(_ values: UnsafeMutablePointer<Float>, count: Int, to limit: Float) {
    for j in 0..<count {
      if values[j] > limit {
        values[j] = limit
      } else if values[j] < -limit {
        values[j] = -limit
      }
    }
  }
}
