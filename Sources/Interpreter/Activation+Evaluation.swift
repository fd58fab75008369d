import CanonicalModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The SELU constants, as Keras and TensorFlow define them.
private let seluAlpha: Float = 1.6732632423543772848170429916717
private let seluScale: Float = 1.0507009873554804934193349852946
/// `sqrt(2 / pi)`, for the tanh approximation of GELU.
private let geluTanhScale: Float = 0.7978845608028654
/// `1 / sqrt(2)`, for the exact GELU.
private let inverseSquareRootOfTwo: Float = 0.7071067811865476

extension Activation {
  /// The activation of a single value, in float32.
  ///
  /// Softmax of a single element is `exp(x - x) = 1` (NaN for a non-finite `x`),
  /// which is what softmax over a last axis of length 1 computes.
  public func evaluate(_ x: Float) -> Float {
    switch self {
    case .linear: return x
    case .relu: return x > 0 ? x : (x.isNaN ? x : 0)
    case .sigmoid: return Self.sigmoid(x)
    case .tanh: return tanhf(x)
    case .hardSigmoid(let slope, let offset): return Self.clamp01(slope * x + offset)
    case .softmax: return expf(x - x)
    case .softsign: return x / (1 + Swift.abs(x))
    case .softplus: return Self.softplus(x)
    case .elu(let alpha): return x > 0 ? x : alpha * (expf(x) - 1)
    case .selu: return seluScale * (x > 0 ? x : seluAlpha * (expf(x) - 1))
    case .swish: return x * Self.sigmoid(x)
    case .gelu(let approximate): return approximate ? Self.geluTanh(x) : Self.geluErf(x)
    case .affine(let alpha, let beta): return alpha * x + beta
    case .leakyRelu(let alpha): return x >= 0 ? x : alpha * x
    case .thresholdedRelu(let alpha): return x > alpha ? x : (x.isNaN ? x : 0)
    case .scaledTanh(let alpha, let beta): return alpha * tanhf(beta * x)
    }
  }

  /// Applies the activation in place to one vector, treated as the last axis
  /// (which only matters for softmax).
  public func apply(to values: UnsafeMutableBufferPointer<Float>) {
    guard !values.isEmpty else { return }
    // Dispatch once, outside the element loop.
    switch self {
    case .linear:
      return
    case .relu:
      for k in values.indices where values[k] < 0 { values[k] = 0 }
    case .sigmoid:
      for k in values.indices { values[k] = Self.sigmoid(values[k]) }
    case .tanh:
      for k in values.indices { values[k] = tanhf(values[k]) }
    case .hardSigmoid(let slope, let offset):
      for k in values.indices { values[k] = Self.clamp01(slope * values[k] + offset) }
    case .softmax:
      Self.softmax(values)
    case .softsign:
      for k in values.indices { values[k] = values[k] / (1 + Swift.abs(values[k])) }
    case .softplus:
      for k in values.indices { values[k] = Self.softplus(values[k]) }
    case .elu, .selu, .swish, .gelu, .affine, .leakyRelu, .thresholdedRelu, .scaledTanh:
      for k in values.indices { values[k] = evaluate(values[k]) }
    }
  }

  /// Applies the activation in place to every row of `values`, each `width` elements long.
  public func apply(to values: inout [Float], width: Int) {
    precondition(width > 0 && values.count % width == 0, "\(values.count) values do not form rows of \(width)")
    if self == .linear { return }
    values.withUnsafeMutableBufferPointer { buffer in
      var start = 0
      while start < buffer.count {
        apply(to: UnsafeMutableBufferPointer(rebasing: buffer[start..<(start + width)]))
        start += width
      }
    }
  }

  // MARK: - Scalar kernels

  /// `1 / (1 + exp(-x))`, evaluated so that `exp` never overflows.
  @inline(__always)
  static func sigmoid(_ x: Float) -> Float {
    if x >= 0 {
      return 1 / (1 + expf(-x))
    }
    let e = expf(x)
    return e / (1 + e)
  }

  /// `log(1 + exp(x))` as `max(x, 0) + log1p(exp(-|x|))`.
  @inline(__always)
  static func softplus(_ x: Float) -> Float {
    (x > 0 ? x : 0) + log1pf(expf(-Swift.abs(x)))
  }

  /// `clip(x, 0, 1)`, passing NaN through.
  @inline(__always)
  static func clamp01(_ x: Float) -> Float {
    x < 0 ? 0 : (x > 1 ? 1 : x)
  }

  static func geluErf(_ x: Float) -> Float {
    0.5 * x * (1 + erff(x * inverseSquareRootOfTwo))
  }

  static func geluTanh(_ x: Float) -> Float {
    0.5 * x * (1 + tanhf(geluTanhScale * (x + 0.044715 * x * x * x)))
  }

  /// Softmax over the whole buffer with max subtraction.
  static func softmax(_ values: UnsafeMutableBufferPointer<Float>) {
    var maximum = -Float.infinity
    for value in values where value > maximum { maximum = value }
    var sum: Float = 0
    for k in values.indices {
      let e = expf(values[k] - maximum)
      values[k] = e
      sum += e
    }
    for k in values.indices { values[k] /= sum }
  }
}
