import CanonicalModel

/// The multiply-adds one timestep of a model cannot avoid: per recurrent layer and direction,
/// the four gates' matrix–vector products over `[x; h]`, `4·H·(I+H)`. Biases, activations,
/// the cell update and any Dense layer are left out, so the floor is a lower bound.
public struct LSTMFloor: Codable, Equatable, Sendable {
  /// One recurrent layer's direction.
  public struct Term: Codable, Equatable, Sendable {
    /// The layer's index in the model.
    public var layer: Int
    /// The layer's name.
    public var name: String
    /// `forward` or `backward`.
    public var direction: String
    /// I, the layer's input size.
    public var inputSize: Int
    /// H, the layer's hidden size.
    public var hiddenSize: Int
    /// `4·H·(I+H)`.
    public var macs: Int

    enum CodingKeys: String, CodingKey {
      case layer, name, direction, macs
      case inputSize = "input"
      case hiddenSize = "hidden"
    }
  }

  /// The formula, as printed.
  public static let formula = "sum over LSTM layers and directions of 4*H*(I+H) multiply-adds per step"

  /// Every recurrent layer's direction, in model order.
  public var terms: [Term]
  /// The sum of the terms' multiply-adds per step.
  public var macsPerStep: Int { terms.reduce(0) { $0 + $1.macs } }

  /// The terms of `model`'s recurrent layers.
  public init(model: Model) {
    var terms: [Term] = []
    for (index, layer) in model.layers.enumerated() {
      for lstm in layer.kind.recurrentDirections {
        terms.append(
          Term(
            layer: index, name: layer.name, direction: lstm.direction.rawValue, inputSize: lstm.inputSize,
            hiddenSize: lstm.hiddenSize, macs: 4 * lstm.hiddenSize * (lstm.inputSize + lstm.hiddenSize)))
      }
    }
    self.terms = terms
  }

  /// The formula with this model's numbers, e.g. `4*8*(8+8) = 512 multiply-adds per step`.
  public var worked: String {
    let parts = terms.map { "4*\($0.hiddenSize)*(\($0.inputSize)+\($0.hiddenSize))" }
    return parts.joined(separator: " + ") + " = \(macsPerStep) multiply-adds per step"
  }
}
