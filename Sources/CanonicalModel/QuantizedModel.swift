/// The integer form of a model, held next to its float layers in ``Model/quantization``.
///
/// The float architecture stays the description of what the model computes; the
/// quantized model adds, per layer, the integer tensors and scales the integer
/// reference (`Quantization.IntegerInterpreter`) runs. It is written by
/// `lstmc quantize` and stored in the same `.safetensors` file (see ``ModelArchive``).
public struct QuantizedModel: Equatable, Sendable {
  /// The scheme.
  public var scheme: QuantizationScheme
  /// Per-channel or per-tensor weight scales.
  public var granularity: WeightGranularity
  /// How the model's sequence input is quantized.
  public var input: QuantizationParameters
  /// One entry per model layer, in order.
  public var layers: [QuantizedLayer]

  /// Creates a quantized model; see the properties.
  public init(
    scheme: QuantizationScheme, granularity: WeightGranularity, input: QuantizationParameters,
    layers: [QuantizedLayer]
  ) {
    self.scheme = scheme
    self.granularity = granularity
    self.input = input
    self.layers = layers
  }

  /// The bytes of every integer tensor (what integer code stores as constants).
  public var byteCount: Int { layers.reduce(0) { $0 + $1.byteCount } }
}
