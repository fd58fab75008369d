import CanonicalModel

/// Which Keras wrote a file, and the semantics that depend on it.
struct KerasDialect: Equatable, Sendable {
  /// The kind of file.
  enum Container: Equatable, Sendable {
    /// A legacy HDF5 model file (`model.save("m.h5")`).
    case hdf5
    /// A native zip archive (`model.save("m.keras")`).
    case archive
  }

  /// The Keras major version (2 for Keras 2 / tf-keras, 3 for Keras 3).
  var major: Int
  /// The version string the file records, e.g. `2.21.0`, or `nil` when absent.
  var version: String?
  /// The kind of file.
  var container: Container

  /// `keras2-h5`, `keras3-h5`, `keras3-keras` (or `keras2-keras` for a tf-keras archive).
  var format: String {
    "keras\(major)-" + (container == .hdf5 ? "h5" : "keras")
  }

  /// The producing framework, e.g. `tf-keras 2.21.0` or `keras 3.15.1`.
  var framework: String {
    let name: String
    if major == 2, let version, let minor = version.split(separator: ".").dropFirst().first.flatMap({ Int($0) }),
      minor >= 6
    {
      // Keras 2.6 and later ship as tf.keras / tf-keras.
      name = "tf-keras"
    } else {
      name = "keras"
    }
    return name + " " + (version ?? "\(major) (version not recorded)")
  }

  /// Keras's `hard_sigmoid`: `clip(0.2x + 0.5, 0, 1)` in Keras 2, `clip(x/6 + 0.5, 0, 1)` in Keras 3.
  var hardSigmoid: Activation {
    major >= 3 ? .hardSigmoid(slope: 1.0 / 6.0, offset: 0.5) : .hardSigmoid(slope: 0.2, offset: 0.5)
  }

  /// The dialect of a file recording `version`; without one, the config's shape decides
  /// (Keras 3 writes `inbound_nodes` as `{"args": ...}` objects and dtype policies as objects).
  static func detect(version: String?, modelConfig: JSONValue, container: Container) -> KerasDialect {
    if let version, let major = version.split(separator: ".").first.flatMap({ Int($0) }) {
      return KerasDialect(major: major >= 3 ? 3 : 2, version: version, container: container)
    }
    let layers = modelConfig["config"]?["layers"]?.array ?? []
    let looksLikeKeras3 = layers.contains { layer in
      layer["inbound_nodes"]?.array?.first?.object != nil || layer["config"]?["dtype"]?.object != nil
    }
    return KerasDialect(major: looksLikeKeras3 ? 3 : 2, version: nil, container: container)
  }
}
