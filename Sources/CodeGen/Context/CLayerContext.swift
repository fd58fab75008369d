/// One layer of the chain. Exactly one of `directions` (non-empty), `dense`, `embedding`,
/// `masking` and `activation` describes what it computes.
struct CLayerContext: Encodable {
  /// Its position in the chain.
  var index: Int
  /// Its name (comment-safe).
  var name: String
  /// `lstm`, `bidirectional`, `dense`, `timeDistributedDense`, `embedding`, `masking` or `activation`.
  var kind: String
  /// `LSTM`, `Bidirectional`, `Dense`, ...
  var kindName: String
  /// One line: what it computes and its output shape (comment-safe).
  var summary: String
  /// The LSTM's directions (one for LSTM, forward then backward for Bidirectional).
  var directions: [CLSTMDirectionContext]
  /// Dense and TimeDistributed(Dense).
  var dense: CDenseContext?
  /// Embedding.
  var embedding: CEmbeddingContext?
  /// Masking.
  var masking: CMaskingContext?
  /// A standalone activation (absent for a linear one, which computes nothing).
  var activation: CActivationLayerContext?
}
