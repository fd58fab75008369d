/// The dense kernels the interpreter is built on, over raw float32 buffers.
///
/// Dot products accumulate in four interleaved partial sums (element `j` goes
/// to sum `j mod 4`), added as `(s0 + s1) + (s2 + s3)`, then the tail in order.
enum VectorMath {
  /// `sum(a[j] * b[j])` for `j` in `0..<count`.
  @inline(__always)
  static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var s0: Float = 0
    var s1: Float = 0
    var s2: Float = 0
    var s3: Float = 0
    var j = 0
    while j + 4 <= count {
      s0 += a[j] * b[j]
      s1 += a[j + 1] * b[j + 1]
      s2 += a[j + 2] * b[j + 2]
      s3 += a[j + 3] * b[j + 3]
      j += 4
    }
    var sum = (s0 + s1) + (s2 + s3)
    while j < count {
      sum += a[j] * b[j]
      j += 1
    }
    return sum
  }

  /// `out[r] += sum_j matrix[r, j] * vector[j]` for a row-major `rows × columns` matrix.
  @inline(__always)
  static func multiplyAdd(
    matrix: UnsafePointer<Float>, rows: Int, columns: Int, vector: UnsafePointer<Float>,
    into out: UnsafeMutablePointer<Float>
  ) {
    var row = matrix
    for r in 0..<rows {
      out[r] += dot(row, vector, count: columns)
      row += columns
    }
  }

  /// `out[r] = bias[r] + sum_j matrix[r, j] * vector[j]` (no bias when `bias` is nil).
  @inline(__always)
  static func affine(
    matrix: UnsafePointer<Float>, rows: Int, columns: Int, vector: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>
  ) {
    var row = matrix
    for r in 0..<rows {
      let product = dot(row, vector, count: columns)
      out[r] = bias.map { product + $0[r] } ?? product
      row += columns
    }
  }

  /// `out[r] += sum_k matrix[k, r] * vector[k]` for a row-major `columns × rows` matrix (the transpose
  /// of the matrix ``multiplyAdd(matrix:rows:columns:vector:into:)`` takes): one axpy per `k`, in
  /// order of `k`, so the inner loop has no reduction and vectorizes.
  @inline(__always)
  static func multiplyAddTransposed(
    matrix: UnsafePointer<Float>, columns: Int, rows: Int, vector: UnsafePointer<Float>,
    into out: UnsafeMutablePointer<Float>
  ) {
    var row = matrix
    for k in 0..<columns {
      let v = vector[k]
      for r in 0..<rows { out[r] += row[r] * v }
      row += rows
    }
  }
}
