/// An elementwise (or, for softmax, last-axis) activation with its parameters.
///
/// Parameters are explicit so that framework differences survive import:
/// Keras 2's hard sigmoid is `clip(0.2x + 0.5, 0, 1)`, Keras 3's is
/// `clip(x / 6 + 0.5, 0, 1)`.
public enum Activation: Equatable, Sendable {
  /// `x`.
  case linear
  /// `max(x, 0)`.
  case relu
  /// `1 / (1 + exp(-x))`.
  case sigmoid
  /// `tanh(x)`.
  case tanh
  /// `clip(slope * x + offset, 0, 1)`.
  case hardSigmoid(slope: Float, offset: Float)
  /// `exp(x) / sum(exp(x))` over the last axis.
  case softmax
  /// `x / (1 + |x|)`.
  case softsign
  /// `log(1 + exp(x))`.
  case softplus
  /// `x` for `x > 0`, else `alpha * (exp(x) - 1)`.
  case elu(alpha: Float)
  /// `scale * elu(x, alpha)` with the fixed SELU constants.
  case selu
  /// `x * sigmoid(x)` (also called SiLU).
  case swish
  /// `0.5 x (1 + erf(x / sqrt(2)))`, or the tanh approximation when `approximate`.
  case gelu(approximate: Bool)
  /// `alpha * x + beta` (ONNX `Affine`).
  case affine(alpha: Float, beta: Float)
  /// `x` for `x >= 0`, else `alpha * x` (ONNX `LeakyRelu`).
  case leakyRelu(alpha: Float)
  /// `x` for `x > alpha`, else `0` (ONNX `ThresholdedRelu`).
  case thresholdedRelu(alpha: Float)
  /// `alpha * tanh(beta * x)` (ONNX `ScaledTanh`).
  case scaledTanh(alpha: Float, beta: Float)

  /// The activation's name as written in `lstmc-model-1` files and by `inspect`.
  public var name: String {
    switch self {
    case .linear: return "linear"
    case .relu: return "relu"
    case .sigmoid: return "sigmoid"
    case .tanh: return "tanh"
    case .hardSigmoid: return "hard_sigmoid"
    case .softmax: return "softmax"
    case .softsign: return "softsign"
    case .softplus: return "softplus"
    case .elu: return "elu"
    case .selu: return "selu"
    case .swish: return "swish"
    case .gelu: return "gelu"
    case .affine: return "affine"
    case .leakyRelu: return "leaky_relu"
    case .thresholdedRelu: return "thresholded_relu"
    case .scaledTanh: return "scaled_tanh"
    }
  }

  /// The activation's name with its parameters, e.g. `hard_sigmoid(slope: 0.2, offset: 0.5)`.
  public var description: String {
    switch self {
    case .hardSigmoid(let slope, let offset):
      return "hard_sigmoid(slope: \(slope), offset: \(offset))"
    case .elu(let alpha): return "elu(alpha: \(alpha))"
    case .gelu(let approximate): return approximate ? "gelu(approximate: tanh)" : "gelu"
    case .affine(let alpha, let beta): return "affine(alpha: \(alpha), beta: \(beta))"
    case .leakyRelu(let alpha): return "leaky_relu(alpha: \(alpha))"
    case .thresholdedRelu(let alpha): return "thresholded_relu(alpha: \(alpha))"
    case .scaledTanh(let alpha, let beta): return "scaled_tanh(alpha: \(alpha), beta: \(beta))"
    default: return name
    }
  }

  /// Whether the activation mixes elements (softmax) instead of acting on each alone.
  public var isElementwise: Bool { self != .softmax }
}

extension Activation: Codable {
  private enum CodingKeys: String, CodingKey {
    case name, slope, offset, alpha, beta, approximate
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let name = try container.decode(String.self, forKey: .name)
    switch name {
    case "linear": self = .linear
    case "relu": self = .relu
    case "sigmoid": self = .sigmoid
    case "tanh": self = .tanh
    case "hard_sigmoid":
      self = .hardSigmoid(
        slope: try container.decode(Float.self, forKey: .slope),
        offset: try container.decode(Float.self, forKey: .offset))
    case "softmax": self = .softmax
    case "softsign": self = .softsign
    case "softplus": self = .softplus
    case "elu": self = .elu(alpha: try container.decode(Float.self, forKey: .alpha))
    case "selu": self = .selu
    case "swish": self = .swish
    case "gelu":
      self = .gelu(approximate: try container.decodeIfPresent(Bool.self, forKey: .approximate) ?? false)
    case "affine":
      self = .affine(
        alpha: try container.decode(Float.self, forKey: .alpha), beta: try container.decode(Float.self, forKey: .beta))
    case "leaky_relu": self = .leakyRelu(alpha: try container.decode(Float.self, forKey: .alpha))
    case "thresholded_relu": self = .thresholdedRelu(alpha: try container.decode(Float.self, forKey: .alpha))
    case "scaled_tanh":
      self = .scaledTanh(
        alpha: try container.decode(Float.self, forKey: .alpha), beta: try container.decode(Float.self, forKey: .beta))
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .name, in: container, debugDescription: "unknown activation '\(name)'")
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    switch self {
    case .hardSigmoid(let slope, let offset):
      try container.encode(slope, forKey: .slope)
      try container.encode(offset, forKey: .offset)
    case .elu(let alpha): try container.encode(alpha, forKey: .alpha)
    case .gelu(let approximate): try container.encode(approximate, forKey: .approximate)
    case .affine(let alpha, let beta), .scaledTanh(let alpha, let beta):
      try container.encode(alpha, forKey: .alpha)
      try container.encode(beta, forKey: .beta)
    case .leakyRelu(let alpha), .thresholdedRelu(let alpha): try container.encode(alpha, forKey: .alpha)
    default: break
    }
  }
}
