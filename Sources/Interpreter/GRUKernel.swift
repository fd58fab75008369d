import CanonicalModel

/// One GRU direction with its gate weights packed for the forward pass.
///
/// The gates are stacked update, reset, candidate. The input projection `W x + b`
/// `[3H]` of every step is computed before the recurrence; a step adds `U h`. The
/// products are stored transposed (`Wᵀ` `[I, 3H]`, `U_zrᵀ` `[H, 2H]`, `U_nᵀ` `[H, H]`)
/// and computed as axpys, like ``LSTMKernel``. `U_n` is kept apart because with
/// reset-before it multiplies `r ⊙ h` rather than `h`.
struct GRUKernel: RecurrentCellKernel {
  /// The layer's settings.
  let layer: GRULayer
  /// `Wᵀ` `[I, 3H]` with the gates stacked in ``gateOrder``.
  let inputKernel: [Float]
  /// `b` `[3H]`, stacked likewise (the candidate's part is its input-side bias only).
  let bias: [Float]
  /// `U_zᵀ` and `U_rᵀ` side by side: `[H, 2H]`.
  let recurrentGatesKernel: [Float]
  /// `U_nᵀ` `[H, H]`.
  let recurrentCandidateKernel: [Float]
  /// The candidate's recurrent bias `bU` `[H]`.
  let candidateRecurrentBias: [Float]

  /// The gates in packing order.
  static let gateOrder: [GRUGate] = [.update, .reset, .candidate]

  /// Packs a validated layer's weights.
  init(_ layer: GRULayer) {
    self.layer = layer
    let hidden = layer.hiddenSize
    inputKernel = LSTMKernel.transposed(
      Self.gateOrder.flatMap { layer.weights[$0].W.data }, rows: 3 * hidden, columns: layer.inputSize)
    bias = Self.gateOrder.flatMap { layer.weights[$0].b.data }
    recurrentGatesKernel = LSTMKernel.transposed(
      layer.weights.update.U.data + layer.weights.reset.U.data, rows: 2 * hidden, columns: hidden)
    recurrentCandidateKernel = LSTMKernel.transposed(layer.weights.candidate.U.data, rows: hidden, columns: hidden)
    candidateRecurrentBias = layer.weights.candidateRecurrentBias.data
  }

  var settings: RecurrentLayer { .gru(layer) }
  var projectionWidth: Int { 3 * layer.hiddenSize }
  /// The recurrent products `[3H]` and `r ⊙ h` `[H]`.
  var scratchWidth: Int { 4 * layer.hiddenSize }

  func project(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
    let gates = 3 * layer.hiddenSize
    bias.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: gates) }
    inputKernel.withUnsafeBufferPointer {
      VectorMath.multiplyAddTransposed(
        matrix: $0.baseAddress!, columns: layer.inputSize, rows: gates, vector: x, into: out)
    }
  }

  /// One unmasked step: updates `h` in place from the step's input projection.
  @inline(__always)
  func step(
    projection: UnsafePointer<Float>, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
    scratch: UnsafeMutablePointer<Float>
  ) {
    let hidden = layer.hiddenSize
    // recurrent = [U_z h, U_r h, U_n h + bU] (the last only with reset-after).
    let recurrent = scratch
    let recurrentCandidate = scratch + 2 * hidden
    let resetHidden = scratch + 3 * hidden
    recurrent.update(repeating: 0, count: 2 * hidden)
    recurrentGatesKernel.withUnsafeBufferPointer {
      VectorMath.multiplyAddTransposed(
        matrix: $0.baseAddress!, columns: hidden, rows: 2 * hidden, vector: h, into: recurrent)
    }
    let z = recurrent
    let r = recurrent + hidden
    for j in 0..<(2 * hidden) { recurrent[j] += projection[j] }
    if let clip = layer.clip { LSTMKernel.clip(recurrent, count: 2 * hidden, to: clip) }
    // Per gate, as Keras applies `recurrent_activation` (it matters for softmax).
    layer.activations.gate.apply(to: UnsafeMutableBufferPointer(start: z, count: hidden))
    layer.activations.gate.apply(to: UnsafeMutableBufferPointer(start: r, count: hidden))

    // n = candidate(W_n x + b_n + r ⊙ (U_n h + bU))  or  candidate(W_n x + b_n + U_n (r ⊙ h) + bU)
    let n = recurrentCandidate
    candidateRecurrentBias.withUnsafeBufferPointer { n.update(from: $0.baseAddress!, count: hidden) }
    recurrentCandidateKernel.withUnsafeBufferPointer { kernel in
      if layer.resetAfter {
        VectorMath.multiplyAddTransposed(matrix: kernel.baseAddress!, columns: hidden, rows: hidden, vector: h, into: n)
        for j in 0..<hidden { n[j] = projection[2 * hidden + j] + r[j] * n[j] }
      } else {
        for j in 0..<hidden { resetHidden[j] = r[j] * h[j] }
        VectorMath.multiplyAddTransposed(
          matrix: kernel.baseAddress!, columns: hidden, rows: hidden, vector: resetHidden, into: n)
        for j in 0..<hidden { n[j] += projection[2 * hidden + j] }
      }
    }
    if let clip = layer.clip { LSTMKernel.clip(n, count: hidden, to: clip) }
    layer.activations.candidate.apply(to: UnsafeMutableBufferPointer(start: n, count: hidden))
    for j in 0..<hidden { h[j] = z[j] * h[j] + (1 - z[j]) * n[j] }
  }
}
