import CanonicalModel

/// Gives every distinct activation (with its parameters) one C function, in order of first use.
struct ActivationRegistry {
  /// The symbol prefix.
  let prefix: String
  /// The functions defined so far.
  private(set) var functions: [CActivationContext] = []
  private var byKey: [String: String] = [:]

  init(prefix: String) {
    self.prefix = prefix
  }

  /// The reference to use for `activation`, defining its function on first use.
  mutating func reference(to activation: Activation) -> CActivationReference {
    let summary = CLiteral.comment(activation.description)
    guard activation != .linear else { return CActivationReference(function: nil, summary: summary) }
    let key = Self.key(activation)
    if let function = byKey[key] { return CActivationReference(function: function, summary: summary) }
    let kind = Self.kind(activation)
    let sameKind = functions.filter { $0.kind == kind }.count
    let function = "\(prefix)_act_\(kind)" + (sameKind == 0 ? "" : "_\(sameKind + 1)")
    var context = CActivationContext(function: function, kind: kind, summary: summary)
    switch activation {
    case .hardSigmoid(let slope, let offset):
      context.slope = CLiteral.float(slope)
      context.offset = CLiteral.float(offset)
    case .elu(let alpha), .leakyRelu(let alpha), .thresholdedRelu(let alpha):
      context.alpha = CLiteral.float(alpha)
    case .affine(let alpha, let beta), .scaledTanh(let alpha, let beta):
      context.alpha = CLiteral.float(alpha)
      context.beta = CLiteral.float(beta)
    default: break
    }
    functions.append(context)
    byKey[key] = function
    return CActivationReference(function: function, summary: summary)
  }

  /// Whether any function needs the scalar sigmoid.
  var needsSigmoid: Bool { functions.contains { $0.kind == "sigmoid" || $0.kind == "swish" } }
  /// Whether any function needs the scalar tanh.
  var needsTanh: Bool { functions.contains { ["tanh", "gelu_tanh", "scaled_tanh"].contains($0.kind) } }

  /// The template's name for an activation's formula.
  static func kind(_ activation: Activation) -> String {
    switch activation {
    case .gelu(let approximate): return approximate ? "gelu_tanh" : "gelu"
    default: return activation.name
    }
  }

  /// A key that tells parameterisations apart bit for bit.
  private static func key(_ activation: Activation) -> String {
    switch activation {
    case .hardSigmoid(let slope, let offset): return "hard_sigmoid \(slope.bitPattern) \(offset.bitPattern)"
    case .elu(let alpha), .leakyRelu(let alpha), .thresholdedRelu(let alpha):
      return "\(activation.name) \(alpha.bitPattern)"
    case .affine(let alpha, let beta), .scaledTanh(let alpha, let beta):
      return "\(activation.name) \(alpha.bitPattern) \(beta.bitPattern)"
    default: return kind(activation)
    }
  }
}
