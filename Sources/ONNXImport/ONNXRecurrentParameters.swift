import CanonicalModel

/// What an ONNX recurrent node's cell needs besides its own inputs: the packed weights and the
/// per-direction settings ``ONNXRecurrentConverter`` has read and checked.
struct ONNXRecurrentParameters {
  /// `W` `[directions, gates*hidden, input]`.
  var w: ONNXTensor
  /// `R` `[directions, gates*hidden, hidden]`.
  var r: ONNXTensor
  /// `B` `[directions, 2*gates*hidden]` (`Wb` then `Rb`), or `nil` when the node has none.
  var b: ONNXTensor?
  /// The `clip` attribute, `nil` for none.
  var clip: Float?
  /// Per direction, its activations in the operator's order (LSTM f, g, h; GRU f, g).
  var activations: [[Activation]]
}
