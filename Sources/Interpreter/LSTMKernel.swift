import CanonicalModel

/// One LSTM direction with its gate weights packed for the forward pass.
///
/// The four gates are stacked in the order input, forget, cell, output, so a
/// step is one `[4H, I]` and one `[4H, H]` matrix–vector product. The input
/// projection `W x + b` of every step is computed before the recurrence. Both
/// products are stored transposed (`[I, 4H]`, `[H, 4H]`) and computed as one
/// axpy per input element, `z += column_k * v_k`: loops without a reduction,
/// which the compiler vectorizes (a dot product's sum would need reassociation).
struct LSTMKernel: RecurrentCellKernel {
  /// The layer's settings (direction, order, masking behaviour, activations).
  let layer: LSTMLayer
  /// `Wᵀ` `[I, 4H]`, then `Uᵀ` `[H, 4H]`, then `b` `[4H]`, each with the gates stacked in ``gateOrder``
  /// (row `k` of `Wᵀ` holds the 4H weights input element `k` feeds into).
  let parameters: [Float]
  /// Peephole weights `[H]` for the input, forget and output gates (`nil` when absent).
  let inputPeephole: [Float]?
  let forgetPeephole: [Float]?
  let outputPeephole: [Float]?

  var settings: RecurrentLayer { .lstm(layer) }
  var projectionWidth: Int { 4 * layer.hiddenSize }
  /// The pre-activations z [4H] and hidden(c) [H].
  var scratchWidth: Int { 5 * layer.hiddenSize }

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

  func project(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
    let gates = 4 * layer.hiddenSize
    parameters.withUnsafeBufferPointer { parameters in
      let w = parameters.baseAddress!
      out.update(from: w + gates * (layer.inputSize + layer.hiddenSize), count: gates)
      VectorMath.multiplyAddTransposed(matrix: w, columns: layer.inputSize, rows: gates, vector: x, into: out)
    }
  }

  /// One unmasked step: updates `h` and `c` in place from the step's input projection.
  @inline(__always)
  func step(
    projection: UnsafePointer<Float>, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
    scratch: UnsafeMutablePointer<Float>
  ) {
    let hidden = layer.hiddenSize
    let gates = 4 * hidden
    let z = scratch
    let activatedCell = scratch + gates
    let zi = z
    let zf = z + hidden
    let zc = z + 2 * hidden
    let zo = z + 3 * hidden

    z.update(from: projection, count: gates)
    parameters.withUnsafeBufferPointer { parameters in
      let u = parameters.baseAddress! + gates * layer.inputSize
      VectorMath.multiplyAddTransposed(matrix: u, columns: hidden, rows: gates, vector: h, into: z)
    }
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
  static func clip(_ values: UnsafeMutablePointer<Float>, count: Int, to limit: Float) {
    for j in 0..<count {
      if values[j] > limit {
        values[j] = limit
      } else if values[j] < -limit {
        values[j] = -limit
      }
    }
  }
}
