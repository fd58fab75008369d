/// Why a model could not be quantized or run as a quantized model.
public enum QuantizationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The layer (or model feature) has no integer form yet.
  case unsupported(layer: String, reason: String)
  /// A requantization scale cannot be represented as a multiplier and shift.
  case scaleOutOfRange(Double)
  /// No calibration sequence was given, or none fits the model.
  case noCalibrationData(String)
  /// Inputs handed to the integer reference do not fit the model.
  case invalidInput(String)
  /// The model carries no quantization.
  case notQuantized

  public var description: String {
    switch self {
    case .unsupported(let layer, let reason): return "layer '\(layer)': \(reason)"
    case .scaleOutOfRange(let scale):
      return "requantization scale \(scale) cannot be represented (supported: 2^-32 to 2^30)"
    case .noCalibrationData(let what): return "no calibration data: \(what)"
    case .invalidInput(let what): return "invalid input: \(what)"
    case .notQuantized: return "the model is not quantized; run `lstmc quantize` first"
    }
  }
}
