import CanonicalModel

/// One recurrent direction's kernel, LSTM or GRU. An enum rather than an existential,
/// so each cell's time sweep is specialized and its step inlined.
enum RecurrentKernel: Sendable {
  case lstm(LSTMKernel)
  case gru(GRUKernel)

  /// Packs a validated direction's weights.
  init(_ layer: RecurrentLayer) {
    switch layer {
    case .lstm(let lstm): self = .lstm(LSTMKernel(lstm))
    case .gru(let gru): self = .gru(GRUKernel(gru))
    }
  }

  /// The direction's settings.
  var settings: RecurrentLayer {
    switch self {
    case .lstm(let kernel): return kernel.settings
    case .gru(let kernel): return kernel.settings
    }
  }

  /// Runs the direction over a sequence; see ``RecurrentCellKernel/run(_:initialHidden:initialCell:)``.
  func run(_ x: LayerValue, initialHidden: [Float]? = nil, initialCell: [Float]? = nil) -> RecurrentResult {
    switch self {
    case .lstm(let kernel): return kernel.run(x, initialHidden: initialHidden, initialCell: initialCell)
    case .gru(let kernel): return kernel.run(x, initialHidden: initialHidden, initialCell: initialCell)
    }
  }
}
