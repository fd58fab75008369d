/// One direction of a quantized recurrent layer.
///
/// The hidden state uses the layer's output parameters (both directions of a
/// Bidirectional share them); the cell state is int16 with the power-of-two
/// scale `2^-cellFractionBits`.
public struct QuantizedRecurrentDirection: Equatable, Sendable {
  /// The direction.
  public var direction: Direction
  /// The gates, keyed by gate name (`input`, `forget`, `cell`, `output` for an LSTM).
  public var gates: [String: QuantizedGate]
  /// Fraction bits of the int16 cell state (its scale is `2^-cellFractionBits`).
  public var cellFractionBits: Int
  /// The largest absolute cell value calibration observed.
  public var cellMaximum: Float
  /// Requantizes `o * tanh(c)` (Q0.30) to the hidden state's scale.
  public var hiddenMultiplier: Int32
  /// The shift paired with ``hiddenMultiplier``.
  public var hiddenShift: Int32
  /// The layer's clip of gate pre-activations in Q3.12, or `nil` for none.
  public var gateClip: Int32?

  /// Creates a direction; see the properties.
  public init(
    direction: Direction, gates: [String: QuantizedGate], cellFractionBits: Int, cellMaximum: Float,
    hiddenMultiplier: Int32, hiddenShift: Int32, gateClip: Int32?
  ) {
    self.direction = direction
    self.gates = gates
    self.cellFractionBits = cellFractionBits
    self.cellMaximum = cellMaximum
    self.hiddenMultiplier = hiddenMultiplier
    self.hiddenShift = hiddenShift
    self.gateClip = gateClip
  }
}
