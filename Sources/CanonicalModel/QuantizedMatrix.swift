/// One quantized weight matrix `[rows, columns]` with everything its integer
/// product needs: per row `j`,
/// `out_j = requantize(bias_j + Σ_k weights[j, k] * x_k, multipliers[j], shifts[j])`.
///
/// The bias is folded: it holds the float bias at scale `s_x * scales[j]` minus
/// `zeroPoint_x * Σ_k weights[j, k]`, so the product needs no zero-point arithmetic.
/// With ``WeightGranularity/perTensor`` `scales`, `multipliers` and `shifts` have one element.
public struct QuantizedMatrix: Equatable, Sendable {
  /// int8 `[rows, columns]`, symmetric narrow range (-127...127).
  public var weights: IntegerTensor
  /// float32 `[rows]` or `[1]`: the real value of one weight step.
  public var scales: Tensor
  /// int32 `[rows]`: the folded bias.
  public var bias: IntegerTensor
  /// int32 `[rows]` or `[1]`: the requantization multipliers, in `[2^30, 2^31)` (or 0).
  public var multipliers: IntegerTensor
  /// int32 `[rows]` or `[1]`: the requantization shifts (left when positive).
  public var shifts: IntegerTensor

  /// Creates a matrix; see the properties.
  public init(
    weights: IntegerTensor, scales: Tensor, bias: IntegerTensor, multipliers: IntegerTensor, shifts: IntegerTensor
  ) {
    self.weights = weights
    self.scales = scales
    self.bias = bias
    self.multipliers = multipliers
    self.shifts = shifts
  }

  /// Output rows.
  public var rows: Int { weights.shape[0] }
  /// Input columns.
  public var columns: Int { weights.shape.count > 1 ? weights.shape[1] : 0 }
  /// The bytes stored for the matrix (weights, bias, multipliers, shifts).
  public var byteCount: Int { weights.byteCount + bias.byteCount + multipliers.byteCount + shifts.byteCount }
}
