/// A lookup table from integer indices to vectors.
public struct EmbeddingLayer: Equatable, Sendable {
  /// Shape `[vocabulary, dimension]`.
  public var table: Tensor
  /// Whether index 0 marks padding: steps whose index is 0 are masked downstream.
  public var maskZero: Bool

  /// Creates an Embedding layer.
  public init(table: Tensor, maskZero: Bool) {
    self.table = table
    self.maskZero = maskZero
  }

  /// The number of rows (valid indices are `0..<vocabularySize`).
  public var vocabularySize: Int { table.shape[0] }
  /// The length of each vector.
  public var dimension: Int { table.shape.count > 1 ? table.shape[1] : 0 }
}
