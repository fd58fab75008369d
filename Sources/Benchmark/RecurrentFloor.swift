import CanonicalModel

/// The multiply-adds one timestep of a model cannot avoid: per recurrent layer and direction,
/// the gates' matrix–vector products over `[x; h]`, `G·H·(I+H)` with `G` = 4 gates for an LSTM
/// and 3 for a GRU (``RecurrentLayer/multiplyAddsPerStep``). Biases, activations, the cell
/// update and any Dense layer are left out, so the floor is a lower bound.
public struct RecurrentFloor: Codable, Equatable, Sendable {
  /// One recurrent layer's direction.
  public struct Term: Codable, Equatable, Sendable {
    /// The layer's index in the model.
    public var layer: Int
    /// The layer's name.
    public var name: String
    /// `LSTM` or `GRU`.
    public var cell: String
    /// `forward` or `backward`.
    public var direction: String
    /// G, the gate blocks of `W x + U h`: 4 for an LSTM, 3 for a GRU.
    public var gates: Int
    /// I, the layer's input size.
    public var inputSize: Int
    /// H, the layer's hidden size.
    public var hiddenSize: Int
    /// `G·H·(I+H)`.
    public var macs: Int

    enum CodingKeys: String, CodingKey {
      case layer, name, cell, direction, gates, macs
      case inputSize = "input"
      case hiddenSize = "hidden"
    }
  }

  /// The formula, as printed.
  public static let formula =
    "sum over recurrent layers and directions of 4*H*(I+H) (LSTM) or 3*H*(I+H) (GRU) multiply-adds per step"

  /// Every recurrent layer's direction, in model order.
  public var terms: [Term]
  /// The sum of the terms' multiply-adds per step.
  public var macsPerStep: Int { terms.reduce(0) { $0 + $1.macs } }

  /// The terms of `model`'s recurrent layers.
  public init(model: Model) {
    var terms: [Term] = []
    for (index, layer) in model.layers.enumerated() {
      for recurrent in layer.kind.recurrentDirections {
        terms.append(
          Term(
            layer: index, name: layer.name, cell: recurrent.cellName, direction: recurrent.direction.rawValue,
            gates: recurrent.gateCount, inputSize: recurrent.inputSize, hiddenSize: recurrent.hiddenSize,
            macs: recurrent.multiplyAddsPerStep))
      }
    }
    self.terms = terms
  }

  /// The formula with this model's numbers, e.g. `4*8*(8+8) = 512 multiply-adds per step`.
  public var worked: String {
    let parts = terms.map { "\($0.gates)*\($0.hiddenSize)*(\($0.inputSize)+\($0.hiddenSize))" }
    return parts.joined(separator: " + ") + " = \(macsPerStep) multiply-adds per step"
  }
}
