/// One layer as stored in `lstmc-model-1` metadata; its tensors live beside it
/// in the safetensors file under `layers.<i>.…`.
struct LayerDocument: Codable, Equatable {
  var name: String
  var origin: LayerOrigin
  /// `lstm`, `gru`, `bidirectional`, `dense`, `time_distributed_dense`, `embedding`, `masking`, `activation`
  /// or `last_time_step`.
  var type: String
  var lstm: LSTMDocument?
  var gru: GRUDocument?
  /// A Bidirectional LSTM's directions.
  var forward: LSTMDocument?
  var backward: LSTMDocument?
  /// A Bidirectional GRU's directions.
  var forwardGRU: GRUDocument?
  var backwardGRU: GRUDocument?
  var mergeMode: MergeMode?
  var activation: Activation?
  var hasBias: Bool?
  var maskZero: Bool?
  var maskValue: Float?
}
