import CanonicalModel

/// Turns the layer chain into the straight-line operations of the generated functions, choosing
/// the buffer every intermediate value lives in, and records how large those buffers must be.
struct OperationPlan {
  private let model: Model
  private let shapes: [ValueShape]
  private let collapse: Int?
  private let prefix: String

  /// Whether a Masking or `mask_zero` Embedding layer makes a mask.
  let usesMask: Bool
  /// The length of the largest gate vector `z` (4H for an LSTM and a GRU alike), 0 without recurrent layers.
  let gateSize: Int
  /// Lengths the scratch vectors `vec_a`, `vec_b` need (0: unused).
  private(set) var vectorA = 0
  private(set) var vectorB = 0
  /// Features per step the sequence buffers `seq_a`, `seq_b` need (0: unused).
  private(set) var sequenceA = 0
  private(set) var sequenceB = 0
  /// The length `name_zeros` needs (0: unused).
  private(set) var zerosLength = 0
  /// The vector a LastTimeStep layer keeps the last step's value in.
  private var lastStepPlace: Place?

  /// Where the current value `x` lives.
  private enum Place: Equatable {
    case a, b, elsewhere
  }

  init(lowering: CModelLowering) {
    model = lowering.model
    shapes = lowering.shapes
    collapse = lowering.collapse
    prefix = lowering.prefix
    usesMask = model.layers.contains { layer in
      switch layer.kind {
      case .masking: return true
      case .embedding(let embedding): return embedding.maskZero
      default: return false
      }
    }
    gateSize = model.layers.flatMap(\.kind.recurrentDirections).map { 4 * $0.hiddenSize }.max() ?? 0
  }

  /// The end (exclusive) of the layers that run per step: up to and including the collapsing layer.
  private var stepEnd: Int { collapse.map { $0 + 1 } ?? model.layers.count }

  // MARK: - Per step (streaming models)

  /// `name_step`'s per-step part: every layer up to the first one that drops the time axis.
  mutating func stepOperations() -> [COperationContext] {
    var operations: [COperationContext] = []
    var place = Place.elsewhere
    var masked = false
    for index in 0..<stepEnd {
      let layer = model.layers[index]
      let symbol = "\(prefix)_l\(index)"
      let comment = Self.comment(layer, index: index)
      switch layer.kind {
      case .embedding(let embedding):
        operations.append(
          COperationContext(
            kind: "embedding", comment: comment, size: embedding.dimension, table: "\(symbol)_table",
            maskZero: embedding.maskZero))
        place = .elsewhere
        masked = masked || embedding.maskZero
      case .masking:
        let destination = takeVector(after: place, size: features(index))
        operations.append(
          COperationContext(
            kind: "masking", comment: comment, function: "\(symbol)_mask", destination: Self.vector(destination),
            size: features(index)))
        place = destination
        masked = true
      case .lstm, .gru:
        let recurrent = layer.kind.singleRecurrent!
        let fields = CModelLowering.fieldPrefix(layer: index, direction: recurrent.direction)
        operations.append(
          COperationContext(
            kind: "recurrent", comment: comment, function: "\(prefix)_\(fields)_cell", usesMask: masked,
            zeroOutputForMask: recurrent.zeroOutputForMask, returnSequences: recurrent.returnSequences,
            hiddenField: "\(fields)_h", cellField: recurrent.hasCellState ? "\(fields)_c" : nil,
            flagField: "\(fields)_has_output"))
        if recurrent.returnSequences {
          place = .elsewhere
          zerosLength = max(zerosLength, recurrent.hiddenSize)
        }
      case .bidirectional:
        preconditionFailure("a Bidirectional layer cannot stream")
      case .dense(let dense), .timeDistributedDense(let dense):
        let destination = takeVector(after: place, size: dense.units)
        operations.append(
          COperationContext(
            kind: "dense", comment: comment, function: "\(symbol)_dense", destination: Self.vector(destination),
            inputSize: dense.inputSize, size: dense.units))
        place = destination
      case .lastTimeStep:
        // Every step keeps its value: after the last one it is the layer's output.
        let destination = takeVector(after: place, size: features(index))
        operations.append(
          COperationContext(
            kind: "lastStep", comment: comment, destination: Self.vector(destination), size: features(index)))
        lastStepPlace = destination
        place = destination
      case .activation(let activation):
        if activation != .linear {
          let destination = takeVector(after: place, size: features(index))
          operations.append(
            COperationContext(
              kind: "activation", comment: comment, function: "\(symbol)_activation",
              destination: Self.vector(destination), inputSize: features(index), size: features(index)))
          place = destination
        }
      }
      if index != collapse { operations += outputCopies(of: index) }
    }
    return operations
  }

  // MARK: - Layer by layer (models that buffer)

  /// `name_predict`'s pass over whole sequences, layer by layer, up to the first layer that drops the time axis.
  mutating func sequenceOperations() -> [COperationContext] {
    var operations: [COperationContext] = []
    var place = Place.elsewhere
    for index in 0..<stepEnd {
      let layer = model.layers[index]
      let symbol = "\(prefix)_l\(index)"
      let comment = Self.comment(layer, index: index)
      switch layer.kind {
      case .embedding(let embedding):
        let destination = takeSequence(after: place, size: embedding.dimension)
        operations.append(
          COperationContext(
            kind: "embedding", comment: comment, destination: Self.sequence(destination), size: embedding.dimension,
            table: "\(symbol)_table", maskZero: embedding.maskZero))
        place = destination
      case .masking:
        let destination = takeSequence(after: place, size: features(index))
        operations.append(
          COperationContext(
            kind: "masking", comment: comment, function: "\(symbol)_mask", destination: Self.sequence(destination),
            size: features(index)))
        place = destination
      case .lstm, .gru:
        let single = layer.kind.singleRecurrent!
        let run = "\(prefix)_\(CModelLowering.fieldPrefix(layer: index, direction: single.direction))_run"
        operations.append(
          recurrent(
            comment: comment, runs: [run],
            returnSequences: single.returnSequences, size: single.hiddenSize, place: &place))
      case .bidirectional(let bi):
        let forward = "\(prefix)_\(CModelLowering.fieldPrefix(layer: index, direction: .forward))_run"
        let backward = "\(prefix)_\(CModelLowering.fieldPrefix(layer: index, direction: .backward))_run"
        let sequences = bi.forward.returnSequences
        // Merge modes other than concat: the backward direction stores, then the forward one merges.
        let order = bi.mergeMode == .concat ? [forward, backward] : [backward, forward]
        operations.append(
          recurrent(
            comment: comment, runs: order,
            returnSequences: sequences, size: bi.outputSize, place: &place))
      case .dense(let dense), .timeDistributedDense(let dense):
        let destination = takeSequence(after: place, size: dense.units)
        operations.append(
          COperationContext(
            kind: "dense", comment: comment, function: "\(symbol)_dense", destination: Self.sequence(destination),
            inputSize: dense.inputSize, size: dense.units))
        place = destination
      case .lastTimeStep:
        // The sequence's last step, into a vector for the part after the time axis.
        let destination = takeVector(after: place, size: features(index))
        operations.append(
          COperationContext(
            kind: "lastStep", comment: comment, destination: Self.vector(destination), size: features(index)))
        lastStepPlace = destination
      case .activation(let activation):
        if activation != .linear {
          let destination = takeSequence(after: place, size: features(index))
          operations.append(
            COperationContext(
              kind: "activation", comment: comment, function: "\(symbol)_activation",
              destination: Self.sequence(destination), inputSize: features(index), size: features(index)))
          place = destination
        }
      }
      if index != collapse { operations += outputCopies(of: index) }
    }
    return operations
  }

  /// Runs recurrent directions (functions `runs`, in order) over the current sequence.
  private mutating func recurrent(
    comment: String, runs: [String], returnSequences: Bool, size: Int, place: inout Place
  ) -> COperationContext {
    var operation = COperationContext(kind: "recurrent", comment: comment, returnSequences: returnSequences)
    var arguments = "state, x, steps, " + (usesMask ? "mask" : "NULL")
    if returnSequences {
      let destination = takeSequence(after: place, size: size)
      zerosLength = max(zerosLength, size)
      operation.destination = Self.sequence(destination)
      operation.size = size
      arguments += ", " + Self.sequence(destination)
      place = destination
    }
    operation.runs = runs.map {
      CRunCallContext(function: $0, writesSequence: returnSequences, arguments: arguments)
    }
    return operation
  }

  // MARK: - After the last step

  /// The part after the last step: the collapsing layer's last output, the layers after it, and
  /// every final-state output.
  mutating func finishOperations() -> [COperationContext] {
    var operations: [COperationContext] = []
    if let collapse {
      var place = Place.elsewhere
      let layer = model.layers[collapse]
      let comment = Self.comment(layer, index: collapse)
      switch layer.kind {
      case .lstm, .gru:
        let recurrent = layer.kind.singleRecurrent!
        let fields = CModelLowering.fieldPrefix(layer: collapse, direction: recurrent.direction)
        operations.append(
          COperationContext(
            kind: "lastOutput", comment: comment + ": its last output", hiddenField: "\(fields)_h",
            flagField: "\(fields)_has_output"))
        zerosLength = max(zerosLength, recurrent.hiddenSize)
      case .bidirectional(let bi):
        let destination = takeVector(after: place, size: bi.outputSize)
        func last(_ recurrent: RecurrentLayer) -> CLastOutputContext {
          let fields = CModelLowering.fieldPrefix(layer: collapse, direction: recurrent.direction)
          return CLastOutputContext(
            hiddenField: "\(fields)_h", flagField: "\(fields)_has_output", size: recurrent.hiddenSize)
        }
        operations.append(
          COperationContext(
            kind: "mergeLastOutputs", comment: comment + ": its merged last outputs",
            destination: Self.vector(destination), size: bi.outputSize, merge: bi.mergeMode.rawValue,
            forward: last(bi.forward), backward: last(bi.backward)))
        zerosLength = max(zerosLength, bi.forward.hiddenSize, bi.backward.hiddenSize)
        place = destination
      case .lastTimeStep:
        let kept = lastStepPlace ?? .a
        operations.append(
          COperationContext(
            kind: "value", comment: comment + ": the value its last step kept", destination: Self.vector(kept)))
        place = kept
      default:
        preconditionFailure("only a recurrent layer drops the time axis")
      }
      operations += outputCopies(of: collapse)
      for index in (collapse + 1)..<model.layers.count {
        let layer = model.layers[index]
        let symbol = "\(prefix)_l\(index)"
        let comment = Self.comment(layer, index: index)
        switch layer.kind {
        case .dense(let dense), .timeDistributedDense(let dense):
          let destination = takeVector(after: place, size: dense.units)
          operations.append(
            COperationContext(
              kind: "dense", comment: comment, function: "\(symbol)_dense", destination: Self.vector(destination),
              inputSize: dense.inputSize, size: dense.units))
          place = destination
        case .activation(let activation):
          if activation != .linear {
            let destination = takeVector(after: place, size: features(index))
            operations.append(
              COperationContext(
                kind: "activation", comment: comment, function: "\(symbol)_activation",
                destination: Self.vector(destination), inputSize: features(index), size: features(index)))
            place = destination
          }
        default:
          preconditionFailure("layer \(index) needs a sequence after the time axis ended")
        }
        operations += outputCopies(of: index)
      }
    }
    for (index, output) in model.outputs.enumerated() {
      switch output.port {
      case .output: continue
      case .hiddenStates, .cellStates:
        let isHidden = output.port == .hiddenStates
        var offset = 0
        for layerIndex in output.layers {
          let layer = model.layers[layerIndex]
          for recurrent in CModelLowering.directions(of: layer) {
            let fields = CModelLowering.fieldPrefix(layer: layerIndex, direction: recurrent.direction)
            operations.append(
              COperationContext(
                kind: "state",
                comment: CLiteral.comment(
                  "output \(index) '\(output.name)': the \(isHidden ? "h" : "c") of layer \(layerIndex) "
                    + "'\(layer.name)' (\(recurrent.direction.rawValue))"),
                size: recurrent.hiddenSize, output: index, field: "\(fields)_\(isHidden ? "h" : "c")", offset: offset))
            offset += recurrent.hiddenSize
          }
        }
      case .hiddenState(let direction), .cellState(let direction):
        let fields = CModelLowering.fieldPrefix(layer: output.layer, direction: direction)
        let isHidden = output.port == .hiddenState(direction)
        let layer = model.layers[output.layer]
        let size = CModelLowering.directions(of: layer).first { $0.direction == direction }?.hiddenSize ?? 0
        operations.append(
          COperationContext(
            kind: "state",
            comment: CLiteral.comment(
              "output \(index) '\(output.name)': the \(isHidden ? "h" : "c") of layer \(output.layer) "
                + "'\(layer.name)' (\(direction.rawValue))"),
            size: size, output: index, field: "\(fields)_\(isHidden ? "h" : "c")"))
      }
    }
    return operations
  }

  // MARK: - Helpers

  private func features(_ index: Int) -> Int { shapes[index].features ?? 1 }

  /// Copies of layer `index`'s main output to the model outputs that take it.
  private func outputCopies(of index: Int) -> [COperationContext] {
    model.outputs.enumerated().compactMap { position, output in
      guard output.layer == index, output.port == .output else { return nil }
      return COperationContext(
        kind: "output", comment: CLiteral.comment("output \(position) '\(output.name)'"), size: features(index),
        output: position)
    }
  }

  private mutating func takeVector(after place: Place, size: Int) -> Place {
    if place == .a {
      vectorB = max(vectorB, size)
      return .b
    }
    vectorA = max(vectorA, size)
    return .a
  }

  private mutating func takeSequence(after place: Place, size: Int) -> Place {
    if place == .a {
      sequenceB = max(sequenceB, size)
      return .b
    }
    sequenceA = max(sequenceA, size)
    return .a
  }

  private static func vector(_ place: Place) -> String { place == .b ? "state->vec_b" : "state->vec_a" }
  private static func sequence(_ place: Place) -> String { place == .b ? "state->seq_b" : "state->seq_a" }

  private static func comment(_ layer: Layer, index: Int) -> String {
    CLiteral.comment("layer \(index) '\(layer.name)' (\(layer.kind.kindName))")
  }
}
