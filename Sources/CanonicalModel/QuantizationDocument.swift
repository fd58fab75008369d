/// A ``QuantizedModel``'s scalars as stored, JSON-encoded, in the `quantization`
/// metadata entry of an `lstmc-model-1` file; its tensors live beside the float ones
/// (see ``ModelArchive``).
struct QuantizationDocument: Codable, Equatable {
  struct Direction: Codable, Equatable {
    var direction: CanonicalModel.Direction
    var gates: [String]
    var cellFractionBits: Int
    var cellMaximum: Float
    var hiddenMultiplier: Int32
    var hiddenShift: Int32
    var gateClip: Int32?
  }
  struct Layer: Codable, Equatable {
    var output: QuantizationParameters
    var directions: [Direction]
    var dense: Bool
    /// Whether the layer has an Embedding table (absent in files written before Embedding quantized).
    var embedding: Bool?
  }
  var scheme: QuantizationScheme
  var granularity: WeightGranularity
  var input: QuantizationParameters
  var layers: [Layer]
}
