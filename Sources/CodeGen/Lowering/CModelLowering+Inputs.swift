import CanonicalModel

extension CModelLowering {
  /// The recurrent directions of layer `index` (empty for other layers), forward first.
  static func directions(of layer: Layer) -> [RecurrentLayer] { layer.kind.recurrentDirections }

  /// The batch size the model's constant per-sample tables (initial states, sequence lengths) fix,
  /// 0 when it has none.
  static func fixedBatch(of model: Model) -> Int { model.constantTableBatch }

  /// Whether the public functions take a `sample` index (constant tables with more than one row).
  var takesSample: Bool { Self.fixedBatch(of: model) > 1 }

  /// Every model input besides the sequence, in the model's order.
  func extraInputs() -> [CExtraInputContext] {
    model.inputs.enumerated().compactMap { index, input in
      switch input.effectiveRole {
      case .sequence: return nil
      case .sequenceLengths:
        return CExtraInputContext(
          index: index, name: CLiteral.comment(input.name), nameLiteral: CLiteral.string(input.name), isLengths: true,
          parameter: nil,
          size: 1,
          summary: CLiteral.comment(
            "per-sample valid lengths: pass a sample's length as steps (its sequence outputs are zero past it)"))
      case .initialHiddenState, .initialCellState, .initialHiddenStates, .initialCellStates:
        let role = input.effectiveRole
        let layers = role.stateLayers
        let which = role.isCellState == true ? "c" : "h"
        let size = layers.reduce(0) { $0 + Self.stateSize(of: model.layers[$1]) }
        let described: String
        if layers.count == 1 {
          let directions = Self.directions(of: model.layers[layers[0]])
          described =
            "the initial \(which) of layer \(layers[0]) '\(model.layers[layers[0]].name)'"
            + (directions.count > 1 ? ", forward direction's \(directions[0].hiddenSize) values first" : "")
        } else {
          described =
            "the initial \(which) of layers "
            + layers.map { "\($0) '\(model.layers[$0].name)'" }.joined(separator: ", ")
            + ", one block per layer in that order (directions x hidden, forward first)"
        }
        return CExtraInputContext(
          index: index, name: CLiteral.comment(input.name), nameLiteral: CLiteral.string(input.name), isLengths: false,
          parameter: Self.stateParameter(role), size: size, summary: CLiteral.comment(described + "; NULL for zeros"))
      }
    }
  }

  /// `directions * hidden` of a recurrent layer (0 for any other).
  static func stateSize(of layer: Layer) -> Int {
    directions(of: layer).reduce(0) { $0 + $1.hiddenSize }
  }

  /// The parameter of an initial-state input: `initial_h<layer>`, or `initial_h<layer>_<layer>...` for
  /// an input feeding several layers.
  static func stateParameter(_ role: InputRole) -> String {
    "initial_\(role.isCellState == true ? "c" : "h")" + role.stateLayers.map(String.init).joined(separator: "_")
  }

  /// `size_t sample, const float *initial_h0, ...`: what `name_reset` takes after the state (and
  /// `name_predict` after `steps`); empty when nothing.
  func resetParameters(_ inputs: [CExtraInputContext]) -> [String] {
    (takesSample ? ["size_t sample"] : []) + inputs.compactMap { $0.parameter.map { "const float *\($0)" } }
  }

  /// Where `name_reset` takes layer `index`'s direction `recurrent`'s h (`hidden`) or c from.
  func stateLoad(layer index: Int, direction recurrent: RecurrentLayer, hidden: Bool) -> CStateLoadContext {
    let fields = Self.fieldPrefix(layer: index, direction: recurrent.direction)
    // The input feeding this layer's h (or c), and where the layer's block starts in its row.
    let feeding = model.inputs.map(\.effectiveRole).first {
      $0.isCellState == !hidden && $0.stateLayers.contains(index)
    }
    var offset = recurrent.direction == .backward ? Self.directions(of: model.layers[index])[0].hiddenSize : 0
    for earlier in feeding?.stateLayers.prefix { $0 != index } ?? [] {
      offset += Self.stateSize(of: model.layers[earlier])
    }
    let input = feeding.map(Self.stateParameter)
    let constant = hidden ? recurrent.initialHidden : recurrent.initialCell
    return CStateLoadContext(
      field: "\(fields)_\(hidden ? "h" : "c")", size: recurrent.hiddenSize, input: input,
      swiftInput: input.map(SwiftContext.camelCase), inputOffset: offset,
      table: constant.map { _ in "\(prefix)_\(fields)_initial_\(hidden ? "h" : "c")" },
      perSample: (constant?.shape.first ?? 1) > 1)
  }

  /// How `file` lays out a value the generated code holds per sample, for documentation: e.g.
  /// `[time, 2 directions, batch, 4]`; `nil` when it is batch first.
  static func fileLayoutNote(_ axes: [AxisSource]?, canonical: [Int?], isSequence: Bool) -> String? {
    guard let axes else { return nil }
    let names = axes.map { axis -> String in
      switch axis {
      case .unit: return "1"
      case .canonical(0): return "batch"
      case .canonical(1) where isSequence: return "time"
      case .canonical(let k): return canonical[k].map(String.init) ?? "?"
      case .outer(_, let count): return count == 1 ? "1 direction" : "\(count) directions"
      case .inner(let k, let count): return canonical[k].map { String($0 / count) } ?? "?"
      }
    }
    return "[" + names.joined(separator: ", ") + "]"
  }
}

extension CModelLowering {
  /// Refuses what the generators cannot express: sequence lengths given as an input when an output
  /// would differ from running the sample's valid steps alone, and constant sequence lengths on a
  /// layer a later recurrent layer reads.
  static func rejectUnsupportedCanonicalFeatures(_ model: Model) throws {
    func unsupported(_ what: String) -> CodeGenError { .unsupportedModel(what) }
    if model.inputs.contains(where: { $0.effectiveRole == .sequenceLengths }) {
      for output in model.outputs where output.port == .output {
        let layer = model.layers[output.layer]
        let directions = directions(of: layer)
        guard let first = directions.first, first.returnSequences, directions.allSatisfy(\.zeroOutputForMask) else {
          throw unsupported(
            "output '\(output.name)' of layer '\(layer.name)' with a sequence-lengths input (generated code runs a "
              + "sample's valid steps only, so only recurrent layers' sequences and final states are supported)")
        }
      }
    }
    for (index, layer) in model.layers.enumerated() {
      guard directions(of: layer).contains(where: { $0.sequenceLengths != nil }) else { continue }
      if let later = model.layers[(index + 1)...].first(where: { !directions(of: $0).isEmpty }) {
        throw unsupported(
          "layer '\(layer.name)' has constant sequence lengths and the recurrent layer '\(later.name)' reads its "
            + "output; only the last recurrent layer may hold them")
      }
    }
  }
}
