/// Why a `.safetensors` file could not be read or written.
public enum SafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file ends before its header or data do.
  case truncated(String)
  /// The header is not the JSON object safetensors prescribes.
  case invalidHeader(String)
  /// A tensor entry is inconsistent (dtype, shape, offsets).
  case invalidTensor(name: String, reason: String)
  /// The file is a valid safetensors file but not an `lstmc-model-1` model.
  case notAnLSTMCModel(String)
  /// The architecture metadata does not describe a model lstmc can rebuild.
  case invalidArchitecture(String)
  /// A tensor the architecture needs is absent.
  case missingTensor(String)

  public var description: String {
    switch self {
    case .truncated(let what): return "truncated safetensors file: \(what)"
    case .invalidHeader(let what): return "invalid safetensors header: \(what)"
    case .invalidTensor(let name, let reason): return "safetensors tensor '\(name)': \(reason)"
    case .notAnLSTMCModel(let what):
      return
        "not an lstmc model (\(what)); lstmc reads safetensors files written by `lstmc convert` (metadata format lstmc-model-1)"
    case .invalidArchitecture(let what): return "invalid lstmc-model-1 architecture: \(what)"
    case .missingTensor(let name): return "lstmc-model-1 file lacks tensor '\(name)'"
    }
  }
}
