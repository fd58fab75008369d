import CanonicalModel

/// How Keras packs an LSTM's four gates: the one place that knows Keras's gate order.
///
/// `kernel` is `[input, 4·units]`, `recurrent_kernel` `[units, 4·units]` and
/// `bias` `[4·units]`, each split into four column blocks of `units`.
enum KerasGateLayout {
  /// Keras's gate order: block `k` of every packed weight belongs to `order[k]`.
  static let order: [Gate] = [.input, .forget, .cell, .output]

  /// Splits packed Keras LSTM weights into canonical per-gate weights.
  ///
  /// - Parameters:
  ///   - kernel: row-major `[inputSize, 4·units]`.
  ///   - recurrentKernel: row-major `[units, 4·units]`.
  ///   - bias: `[4·units]`, or `nil` for zeros.
  /// The caller has checked the shapes; each gate gets `W = kernel[:, block]ᵀ`
  /// (`[units, inputSize]`), `U = recurrent_kernel[:, block]ᵀ` and `b = bias[block]`.
  static func split(kernel: [Float], recurrentKernel: [Float], bias: [Float]?, inputSize: Int, units: Int)
    -> LSTMWeights
  {
    var gates: [Gate: GateWeights] = [:]
    for (block, gate) in order.enumerated() {
      let columns = block * units
      let W = transposedBlock(kernel, rows: inputSize, columns: 4 * units, firstColumn: columns, width: units)
      let U = transposedBlock(recurrentKernel, rows: units, columns: 4 * units, firstColumn: columns, width: units)
      let b = bias.map { Array($0[columns..<(columns + units)]) } ?? [Float](repeating: 0, count: units)
      gates[gate] = GateWeights(
        W: Tensor(shape: [units, inputSize], data: W), U: Tensor(shape: [units, units], data: U),
        b: Tensor(shape: [units], data: b))
    }
    let zero = GateWeights(
      W: Tensor(shape: [units, inputSize]), U: Tensor(shape: [units, units]), b: Tensor(shape: [units]))
    return LSTMWeights(
      input: gates[.input] ?? zero, forget: gates[.forget] ?? zero, cell: gates[.cell] ?? zero,
      output: gates[.output] ?? zero)
  }

  /// `matrix[:, firstColumn..<firstColumn+width]ᵀ` of a row-major `rows × columns` matrix,
  /// as a row-major `width × rows` matrix.
  static func transposedBlock(_ matrix: [Float], rows: Int, columns: Int, firstColumn: Int, width: Int) -> [Float] {
    var result = [Float](repeating: 0, count: width * rows)
    for r in 0..<width {
      for c in 0..<rows {
        result[r * rows + c] = matrix[c * columns + firstColumn + r]
      }
    }
    return result
  }
}
