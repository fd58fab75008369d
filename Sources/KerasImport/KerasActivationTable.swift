import CanonicalModel

/// Keras activation names and what they mean canonically.
///
/// Keras 2 writes an activation as a string (`"tanh"`); Keras 3 as a string or,
/// for some objects, a serialized dict (`{"class_name": "function", "config": "tanh", ...}`).
enum KerasActivationTable {
  /// The canonical activation for a Keras name, or `nil` when lstmc has none.
  /// `hard_sigmoid`'s parameters depend on the Keras version.
  static func activation(named name: String, dialect: KerasDialect) -> Activation? {
    switch name {
    case "linear": return .linear
    case "relu": return .relu
    case "sigmoid": return .sigmoid
    case "tanh": return .tanh
    case "hard_sigmoid": return dialect.hardSigmoid
    case "softmax", "softmax_v2": return .softmax
    case "softsign": return .softsign
    case "softplus": return .softplus
    case "elu": return .elu(alpha: 1)
    case "selu": return .selu
    case "swish", "silu": return .swish
    // Both Keras versions default to the exact (erf) form: gelu(x, approximate=False).
    case "gelu": return .gelu(approximate: false)
    default: return nil
    }
  }

  /// The activation a layer's setting `option` names (absent or `null` means linear, as in Keras).
  static func activation(
    _ value: JSONValue?, option: String, of layer: KerasLayerConfig, dialect: KerasDialect
  ) throws -> Activation {
    guard let value, !value.isNull else { return .linear }
    let name = Self.name(of: value)
    guard let name, let activation = activation(named: name, dialect: dialect) else {
      throw KerasImportError.unsupportedActivation(
        layer: layer.name, className: layer.className, option: option, activation: name ?? value.summary)
    }
    return activation
  }

  /// The function name in a serialized activation.
  private static func name(of value: JSONValue) -> String? {
    if let string = value.string { return string }
    if let config = value["config"] {
      if let string = config.string { return string }
      if let string = config["name"]?.string, value["class_name"]?.string == "function" { return string }
    }
    return value["class_name"]?.string
  }
}
