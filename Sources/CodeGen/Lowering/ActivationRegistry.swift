import CanonicalModel

/// Gives every distinct activation (with its parameters) one C function, in order of first use.
struct ActivationRegistry {
  /// The symbol prefix.
  let prefix: String
  /// The functions defined so far.
  private(set) var functions: [CActivationContext] = []
  private var byKey: [String: String] = [:]
  /// Whether recurrent layers use the vectorizable sigmoid and tanh (`--math fast`).
  let vectorizes: Bool
  /// The sizes `name_vsigmoid_N` / `name_vtanh_N` are needed for (each function has its size as a
  /// compile-time trip count, so it vectorizes even where the compiler does not inline it).
  private(set) var vectorSigmoidSizes: [Int] = []
  private(set) var vectorTanhSizes: [Int] = []

  init(prefix: String, vectorizes: Bool = false) {
    self.prefix = prefix
    self.vectorizes = vectorizes
  }

  /// The reference a recurrent layer's gate, cell or hidden activation over `size` values uses:
  /// like ``reference(to:)``, plus the vectorizable `name_vsigmoid_N` or `name_vtanh_N` for the
  /// standard sigmoid and tanh (then the C code calls that instead of the array function).
  /// A gate activation gets only the vector sigmoid (the exact tanh needs scratch, and while the
  /// gates are computed no slot of `z` is free).
  mutating func recurrentReference(to activation: Activation, size: Int, isGate: Bool = false) -> CActivationReference {
    guard vectorizes, activation == .sigmoid || (activation == .tanh && !isGate) else {
      return reference(to: activation)
    }
    var result = reference(to: activation, calledAsArray: false)
    if activation == .sigmoid {
      result.vector = "\(prefix)_vsigmoid_\(size)"
      if !vectorSigmoidSizes.contains(size) { vectorSigmoidSizes.append(size) }
    } else {
      result.vector = "\(prefix)_vtanh_\(size)"
      if !vectorTanhSizes.contains(size) { vectorTanhSizes.append(size) }
    }
    return result
  }

  mutating func reference(to activation: Activation) -> CActivationReference {
    reference(to: activation, calledAsArray: true)
  }

  private mutating func reference(to activation: Activation, calledAsArray: Bool) -> CActivationReference {
    let summary = CLiteral.comment(activation.description)
    guard activation != .linear else { return CActivationReference(function: nil, summary: summary) }
    let key = Self.key(activation)
    if let function = byKey[key] {
      if calledAsArray, let index = functions.firstIndex(where: { $0.function == function }) {
        functions[index].calledInC = true
      }
      return CActivationReference(function: function, summary: summary)
    }
    let kind = Self.kind(activation)
    let sameKind = functions.filter { $0.kind == kind }.count
    let function = "\(prefix)_act_\(kind)" + (sameKind == 0 ? "" : "_\(sameKind + 1)")
    var context = CActivationContext(function: function, kind: kind, summary: summary, calledInC: calledAsArray)
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
  /// Whether any function the C code calls needs the scalar sigmoid (the vectorized recurrent
  /// activations do not).
  var cNeedsSigmoid: Bool { functions.contains { $0.calledInC && ($0.kind == "sigmoid" || $0.kind == "swish") } }
  /// Whether any function the C code calls needs the scalar tanh.
  var cNeedsTanh: Bool {
    functions.contains { $0.calledInC && ["tanh", "gelu_tanh", "scaled_tanh"].contains($0.kind) }
  }

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
