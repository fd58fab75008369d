/// Why a canonical model is not well formed.
public enum ModelValidationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The model as a whole is inconsistent (no layers, no inputs, ...).
  case invalidModel(String)
  /// A layer does not fit its input or holds tensors of the wrong shape.
  case invalidLayer(layer: String, reason: String)
  /// A model output refers to something that does not exist.
  case invalidOutput(output: String, reason: String)

  public var description: String {
    switch self {
    case .invalidModel(let reason): return "invalid model: \(reason)"
    case .invalidLayer(let layer, let reason): return "layer '\(layer)': \(reason)"
    case .invalidOutput(let output, let reason): return "output '\(output)': \(reason)"
    }
  }
}
