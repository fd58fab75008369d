import CanonicalModel

/// How Keras packs a GRU's three gates: the one place that knows Keras's GRU gate
/// order and bias layout.
///
/// `kernel` is `[input, 3·units]` and `recurrent_kernel` `[units, 3·units]`, each split
/// into three column blocks of `units` in the order z (update), r (reset), h (candidate).
/// With `reset_after=True` the bias is `[2, 3·units]`: row 0 the input bias, row 1 the
/// recurrent bias. With `reset_after=False` it is `[3·units]`, an input bias only.
enum KerasGRUGateLayout {
  /// Keras's gate order: block `k` of every packed weight belongs to `order[k]`.
  static let order: [GRUGate] = [.update, .reset, .candidate]

  /// Splits packed Keras GRU weights into canonical per-gate weights.
  ///
  /// - Parameters:
  ///   - kernel: row-major `[inputSize, 3·units]`.
  ///   - recurrentKernel: row-major `[units, 3·units]`.
  ///   - inputBias: `[3·units]` (bias row 0, or the whole bias without reset-after), or `nil` for zeros.
  ///   - recurrentBias: `[3·units]` (bias row 1 with reset-after), or `nil` for zeros.
  /// The caller has checked the shapes. Each gate gets `W = kernel[:, block]ᵀ`
  /// (`[units, inputSize]`) and `U = recurrent_kernel[:, block]ᵀ`; the update and reset
  /// gates' `b` is the sum of both bias rows, the candidate's `b` is its input bias and
  /// its recurrent bias becomes `candidateRecurrentBias` (it sits inside the reset
  /// product and cannot be folded).
  static func split(
    kernel: [Float], recurrentKernel: [Float], inputBias: [Float]?, recurrentBias: [Float]?, inputSize: Int,
    units: Int
  ) -> GRUWeights {
    func block(_ vector: [Float]?, _ index: Int) -> [Float] {
      vector.map { Array($0[(index * units)..<((index + 1) * units)]) } ?? [Float](repeating: 0, count: units)
    }
    var gates: [GRUGate: GateWeights] = [:]
    var candidateRecurrentBias = [Float](repeating: 0, count: units)
    for (index, gate) in order.enumerated() {
      let columns = index * units
      let W = KerasGateLayout.transposedBlock(
        kernel, rows: inputSize, columns: 3 * units, firstColumn: columns, width: units)
      let U = KerasGateLayout.transposedBlock(
        recurrentKernel, rows: units, columns: 3 * units, firstColumn: columns, width: units)
      var b = block(inputBias, index)
      let bU = block(recurrentBias, index)
      if gate == .candidate {
        candidateRecurrentBias = bU
      } else {
        b = zip(b, bU).map(+)
      }
      gates[gate] = GateWeights(
        W: Tensor(shape: [units, inputSize], data: W), U: Tensor(shape: [units, units], data: U),
        b: Tensor(shape: [units], data: b))
    }
    let zero = GateWeights(
      W: Tensor(shape: [units, inputSize]), U: Tensor(shape: [units, units]), b: Tensor(shape: [units]))
    return GRUWeights(
      update: gates[.update] ?? zero, reset: gates[.reset] ?? zero, candidate: gates[.candidate] ?? zero,
      candidateRecurrentBias: Tensor(shape: [units], data: candidateRecurrentBias))
  }
}
