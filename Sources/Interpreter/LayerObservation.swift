import CanonicalModel

/// What one layer produced during an observed run (``Interpreter/run(_:observer:)``).
public struct LayerObservation: Sendable {
  /// The layer's index in the model.
  public var layer: Int
  /// The layer's main output, batch first.
  public var output: Tensor
  /// A recurrent layer's directions, forward first; empty for other layers.
  public var states: [StateObservation]
}
