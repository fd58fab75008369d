import CanonicalModel

/// Everything one layer produced for a batch.
struct LayerResult {
  /// The main output, which feeds the next layer.
  var output: LayerValue
  /// A recurrent layer's final states `[batch, hidden]`, keyed by ``CanonicalModel/LayerPort``
  /// (`.hiddenState(direction)`, `.cellState(direction)`); empty for other layers.
  var states: [LayerPort: Tensor] = [:]
  /// When observing: each recurrent direction's state ranges, forward first.
  var observations: [StateObservation] = []
}
