/// One layer as stored in `lstmc-model-1` metadata; its tensors live beside it
/// in the safetensors file under `layers.<i>.…`.
struct LayerDocument: Codable, Equatable {
  var name: String
  var origin: LayerOrigin
  /// `lstm`, `bidirectional`, `dense`, `time_distributed_dense`, `embedding`, `masking`, `activation` or `last_time_step`.
  var type: String
  var lstm: LSTMDocument?
  var forward: LSTMDocument?
  var backward: LSTMDocument?
  var mergeMode: MergeMode?
  var activation: Activation?
  var hasBias: Bool?
  var maskZero: Bool?
  var maskValue: Float?
}
