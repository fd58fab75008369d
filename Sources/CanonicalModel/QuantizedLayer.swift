/// The integer parameters of one layer of a quantized model.
public struct QuantizedLayer: Equatable, Sendable {
  /// How the layer's main output (the next layer's input) is quantized.
  public var output: QuantizationParameters
  /// A recurrent layer's directions, forward first; empty for other layers.
  public var directions: [QuantizedRecurrentDirection]
  /// A Dense or TimeDistributed(Dense) layer's kernel; `nil` for other layers.
  public var dense: QuantizedMatrix?
  /// An Embedding layer's table `[vocabulary, dimension]` in the activation type, quantized with
  /// ``output``'s scale and zero point; `nil` for other layers.
  public var embedding: IntegerTensor?

  /// Creates a layer; see the properties.
  public init(
    output: QuantizationParameters, directions: [QuantizedRecurrentDirection] = [], dense: QuantizedMatrix? = nil,
    embedding: IntegerTensor? = nil
  ) {
    self.output = output
    self.directions = directions
    self.dense = dense
    self.embedding = embedding
  }

  /// The bytes of the layer's integer tensors.
  public var byteCount: Int {
    directions.reduce(0) { total, direction in
      total + direction.gates.values.reduce(0) { $0 + $1.input.byteCount + $1.recurrent.byteCount }
    } + (dense?.byteCount ?? 0) + (embedding?.byteCount ?? 0)
  }
}
