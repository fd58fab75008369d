import CanonicalModel

/// Why a Keras model file could not be imported.
///
/// ``description`` is one line without the file's path (the caller adds it, as
/// in `lstmc: error: <file>: <description>`), and names the layer, its class
/// and what is supported wherever that helps.
public enum KerasImportError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be read at all (missing, a directory, no permission).
  case unreadableFile(reason: String)
  /// The file is empty.
  case emptyFile
  /// The file starts with neither the HDF5 signature nor a zip header.
  case unrecognizedFormat
  /// The file has the HDF5 signature but HDF5 cannot read it (truncated or corrupt).
  case corruptHDF5(reason: String)
  /// A readable HDF5 file that holds no Keras model.
  case notAKerasModel(reason: String)
  /// The file looks like a zip archive but cannot be read as one.
  case corruptArchive(reason: String)
  /// A `.keras` archive lacks a member every Keras model archive has.
  case missingArchiveMember(String)
  /// The model configuration is not valid JSON or lacks something Keras always writes.
  case invalidConfig(String)
  /// A layer class lstmc does not import (for wrappers: `Bidirectional(GRU)`, ...).
  case unsupportedLayer(layer: String, className: String)
  /// An activation lstmc does not implement; `option` is the config key (`activation`, ...).
  case unsupportedActivation(layer: String, className: String, option: String, activation: String)
  /// A layer setting lstmc does not support (`time_major`, `merge_mode: null`, ...).
  case unsupportedOption(layer: String, className: String, option: String, reason: String)
  /// The layers do not form one chain; names the first layer that breaks it.
  case unsupportedTopology(layer: String, className: String, reason: String)
  /// A weight the layer needs is not in the file.
  case missingWeight(layer: String, className: String, weight: String, reason: String)
  /// A weight has a shape that does not fit its layer.
  case weightShapeMismatch(layer: String, className: String, weight: String, shape: [Int], expected: String)
  /// A weight cannot be read (wrong type, unreadable data).
  case unreadableWeight(layer: String, className: String, weight: String, reason: String)
  /// The imported model failed the canonical model's own checks.
  case invalidModel(ModelValidationError)

  /// The layer classes lstmc imports, for messages.
  public static let supportedLayers = [
    "InputLayer", "LSTM", "GRU", "Bidirectional(LSTM)", "Bidirectional(GRU)", "Dense", "TimeDistributed(Dense)",
    "Embedding",
    "Masking", "Activation", "Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout",
    "AlphaDropout", "ActivityRegularization",
  ]

  /// The activation names lstmc imports, for messages.
  public static let supportedActivations = [
    "linear", "relu", "sigmoid", "tanh", "hard_sigmoid", "softmax", "softsign", "softplus", "elu",
    "selu", "swish", "silu", "gelu",
  ]

  /// The one-line message, without the file's path.
  public var description: String {
    switch self {
    case .unreadableFile(let reason):
      return "cannot read the file: \(reason)"
    case .emptyFile:
      return "the file is empty; expected a Keras model (.h5 or .keras)"
    case .unrecognizedFormat:
      return "not a Keras model: the file is neither HDF5 (.h5, .hdf5) nor a zip archive (.keras)"
    case .corruptHDF5(let reason):
      return "the HDF5 file cannot be read: \(reason); re-save the model with model.save()"
    case .notAKerasModel(let reason):
      return "an HDF5 file, but not a Keras model: \(reason)"
    case .corruptArchive(let reason):
      return "the .keras archive cannot be read: \(reason); re-save the model with model.save()"
    case .missingArchiveMember(let member):
      return "the .keras archive has no '\(member)'; a model saved with model.save('name.keras') holds "
        + "config.json, metadata.json and model.weights.h5"
    case .invalidConfig(let reason):
      return "invalid Keras model config: \(reason)"
    case .unsupportedLayer(let layer, let className):
      return "layer '\(layer)' (\(className)) is not supported; supported: "
        + Self.supportedLayers.joined(separator: ", ")
    case .unsupportedActivation(let layer, let className, let option, let activation):
      return "layer '\(layer)' (\(className)): \(option) '\(activation)' is not supported; supported: "
        + Self.supportedActivations.joined(separator: ", ")
    case .unsupportedOption(let layer, let className, let option, let reason):
      return "layer '\(layer)' (\(className)): \(option) \(reason)"
    case .unsupportedTopology(let layer, let className, let reason):
      return "layer '\(layer)' (\(className)) \(reason); lstmc imports only Sequential models and "
        + "Functional models whose layers form a single chain"
    case .missingWeight(let layer, let className, let weight, let reason):
      return "layer '\(layer)' (\(className)): weight '\(weight)' is missing (\(reason))"
    case .weightShapeMismatch(let layer, let className, let weight, let shape, let expected):
      return "layer '\(layer)' (\(className)): weight '\(weight)' has shape \(shape), expected \(expected)"
    case .unreadableWeight(let layer, let className, let weight, let reason):
      return "layer '\(layer)' (\(className)): weight '\(weight)' cannot be read (\(reason))"
    case .invalidModel(let error):
      return "the imported model is inconsistent: \(error.description)"
    }
  }
}
