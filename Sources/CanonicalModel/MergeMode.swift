/// How a Bidirectional layer combines its forward and backward outputs.
public enum MergeMode: String, Sendable, Codable, CaseIterable {
  /// Concatenate along the feature axis, forward first.
  case concat
  /// Elementwise sum.
  case sum
  /// Elementwise product.
  case mul
  /// Elementwise mean.
  case ave
}
