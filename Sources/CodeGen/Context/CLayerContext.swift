/// One layer of the chain. Exactly one of `directions` (non-empty), `dense`, `embedding`,
/// `masking` and `activation` describes what it computes.
struct CLayerContext: Encodable {
  /// Its position in the chain.
  var index: Int
  /// Its name (comment-safe).
  var name: String
  /// `lstm`, `gru`, `bidirectional`, `dense`, `timeDistributedDense`, `embedding`, `masking`,
  /// `activation` or `lastTimeStep`.
  var kind: String
  /// `LSTM`, `GRU`, `Bidirectional`, `Dense`, ...
  var kindName: String
  /// One line: what it computes and its output shape (comment-safe).
  var summary: String
  /// The recurrent directions (one for an LSTM or a GRU, forward then backward for Bidirectional).
  var directions: [CRecurrentDirectionContext]
  /// Dense and TimeDistributed(Dense).
  var dense: CDenseContext?
  /// Embedding.
  var embedding: CEmbeddingContext?
  /// Masking.
  var masking: CMaskingContext?
  /// A standalone activation (absent for a linear one, which computes nothing).
  var activation: CActivationLayerContext?
}
