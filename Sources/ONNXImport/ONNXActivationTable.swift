import CanonicalModel

/// ONNX LSTM activation names (matched case-insensitively) and their parameters.
///
/// `activation_alpha` and `activation_beta` are consumed in order, across both
/// directions, only by the activations that take them. A missing value takes
/// ONNX Runtime's default (not always the ONNX spec's): Affine, ScaledTanh and
/// ThresholdedRelu 0, LeakyRelu 0.01, HardSigmoid 0.2 and 0.5, Elu 1.0.
enum ONNXActivationTable {
  /// The names lstmc supports, as the ONNX spec writes them.
  static let supported = [
    "Sigmoid", "Tanh", "Relu", "HardSigmoid", "Affine", "LeakyRelu", "ThresholdedRelu", "ScaledTanh", "Elu",
    "Softsign", "Softplus",
  ]

  /// Which parameters an activation takes: (alpha, beta) with ONNX Runtime's defaults.
  static func parameters(_ name: String) -> (alpha: Float?, beta: Float?)? {
    switch name.lowercased() {
    case "sigmoid", "tanh", "relu", "softsign", "softplus": return (nil, nil)
    case "hardsigmoid": return (0.2, 0.5)
    case "affine", "scaledtanh": return (0, 0)
    case "leakyrelu": return (0.01, nil)
    case "thresholdedrelu": return (0, nil)
    case "elu": return (1.0, nil)
    default: return nil
    }
  }

  /// Builds the activations of `names`, drawing parameters from `alphas` and `betas` in order.
  static func activations(_ names: [String], alphas: [Float], betas: [Float], node: String) throws -> [Activation] {
    var alphaIndex = 0
    var betaIndex = 0
    return try names.map { name in
      guard let takes = parameters(name) else {
        throw ONNXImportError.unsupportedAttribute(
          node: node, attribute: "activation", value: name, supported: supported.joined(separator: ", "))
      }
      var alpha: Float = 0
      var beta: Float = 0
      if let fallback = takes.alpha {
        alpha = alphaIndex < alphas.count ? alphas[alphaIndex] : fallback
        alphaIndex += 1
      }
      if let fallback = takes.beta {
        beta = betaIndex < betas.count ? betas[betaIndex] : fallback
        betaIndex += 1
      }
      switch name.lowercased() {
      case "sigmoid": return .sigmoid
      case "tanh": return .tanh
      case "relu": return .relu
      case "softsign": return .softsign
      case "softplus": return .softplus
      case "hardsigmoid": return .hardSigmoid(slope: alpha, offset: beta)
      case "affine": return .affine(alpha: alpha, beta: beta)
      case "scaledtanh": return .scaledTanh(alpha: alpha, beta: beta)
      case "leakyrelu": return .leakyRelu(alpha: alpha)
      case "thresholdedrelu": return .thresholdedRelu(alpha: alpha)
      default: return .elu(alpha: alpha)
      }
    }
  }
}
