import CanonicalModel

/// The reference forward pass of a canonical ``CanonicalModel/Model``, in float32.
///
/// Input 0 feeds layer 0 and every layer's main output feeds the next; each
/// ``CanonicalModel/ModelOutput`` picks one layer's main output or a recurrent
/// layer's final state. Masks follow Keras: `Masking` and `Embedding(mask_zero)`
/// create one per (sample, step), it flows through Dense, TimeDistributed(Dense),
/// Activation and sequence-returning recurrent layers, and a recurrent layer
/// leaves its state unchanged at a masked step.
///
/// ```swift
/// let interpreter = try Interpreter(model: model)
/// let outputs = try interpreter.run([Tensor(shape: [1, 10, 3], data: samples)])
/// ```
public struct Interpreter: Sendable {
  /// The model being run (validated).
  public let model: Model
  /// Per layer, its recurrent directions with packed weights (empty for other layers).
  private let kernels: [[RecurrentKernel]]

  /// Validates `model` and prepares it to run.
  ///
  /// - Throws: `ModelValidationError` when the model is not well formed.
  public init(model: Model) throws {
    try model.validate()
    self.model = model
    kernels = model.layers.map { $0.kind.recurrentDirections.map(RecurrentKernel.init) }
  }

  /// Runs the model on one batch.
  ///
  /// Inputs with a ``CanonicalModel/InputRole`` other than `sequence` feed the recurrent
  /// layers: per-sample lengths mask every step at or past a sample's length (the
  /// layers output zeros there and keep the state of the last valid step), initial
  /// states replace the zero state (`[batch, directions * hidden]`, forward first; an input
  /// feeding several layers holds their blocks side by side per sample, in layer order).
  ///
  /// - Parameter inputs: One tensor per entry of `model.inputs`, in order, canonical (batch first):
  ///   a float input as `[batch, time, features]` (or `[batch, features]`), an int32
  ///   input as `[batch, time]` holding exact integer floats. Non-finite values are allowed.
  /// - Returns: One tensor per entry of `model.outputs`, in order, batch first: a
  ///   sequence `[batch, time, features]`, a vector `[batch, features]`, a state `[batch, hidden]`, or
  ///   for an output of several layers (``CanonicalModel/ModelOutput/concatenatedLayers``) their states
  ///   side by side per sample.
  /// - Throws: ``InterpreterError`` when the inputs do not fit the model or an
  ///   Embedding index is invalid.
  public func run(_ inputs: [Tensor]) throws -> [Tensor] {
    try checkInputs(inputs)
    var current = Self.chainValue(from: inputs[0], as: model.inputs[0])
    var initialHidden: [Int: [Float]] = [:]
    var initialCell: [Int: [Float]] = [:]
    for (tensor, input) in zip(inputs, model.inputs) {
      switch input.effectiveRole {
      case .sequence: continue
      case .sequenceLengths:
        current.mask = try Self.lengthMask(tensor, input: input.name, value: current)
      case .initialHiddenState, .initialCellState, .initialHiddenStates, .initialCellStates:
        // Per sample, the row holds each listed layer's [directions * hidden] block in order.
        let list = input.effectiveRole.stateLayers
        let sizes = list.map { Self.stateSize(of: model.layers[$0]) }
        let width = sizes.reduce(0, +)
        var offset = 0
        for (layer, size) in zip(list, sizes) {
          var part: [Float] = []
          part.reserveCapacity(current.batch * size)
          for sample in 0..<current.batch {
            let start = sample * width + offset
            part.append(contentsOf: tensor.data[start..<(start + size)])
          }
          if input.effectiveRole.isCellState == true { initialCell[layer] = part } else { initialHidden[layer] = part }
          offset += size
        }
      }
    }
    try checkConstantBatch(current.batch)

    let requested = Set(model.outputs.flatMap(\.layers))
    var results: [Int: LayerResult] = [:]
    for (index, layer) in model.layers.enumerated() {
      let result = try evaluate(
        layer, kernels: kernels[index], on: current, initialHidden: initialHidden[index],
        initialCell: initialCell[index])
      if requested.contains(index) { results[index] = result }
      current = result.output
    }

    return model.outputs.map { output in
      // `validate()` guarantees every output refers to an existing layer and port.
      let parts = output.layers.map { layer -> Tensor in
        let result = results[layer]!
        switch output.port {
        case .output: return result.output.tensor
        case .hiddenState, .cellState, .hiddenStates, .cellStates: return result.states[output.port]!
        }
      }
      return parts.count == 1 ? parts[0] : Self.concatenateRows(parts)
    }
  }

  /// `[batch, a]`, `[batch, b]`, ... side by side per sample: `[batch, a + b + ...]`.
  static func concatenateRows(_ parts: [Tensor]) -> Tensor {
    let batch = parts[0].shape[0]
    let widths = parts.map { $0.shape[1] }
    var data: [Float] = []
    data.reserveCapacity(batch * widths.reduce(0, +))
    for sample in 0..<batch {
      for (part, width) in zip(parts, widths) {
        data.append(contentsOf: part.data[(sample * width)..<((sample + 1) * width)])
      }
    }
    return Tensor(shape: [batch, widths.reduce(0, +)], data: data)
  }

  /// `directions * hidden` of a recurrent layer (0 for any other).
  static func stateSize(of layer: Layer) -> Int { layer.kind.stateSize ?? 0 }

  /// The mask of per-sample lengths: step `t` of sample `b` is kept when `t < lengths[b]`.
  static func lengthMask(_ lengths: Tensor, input: String, value: LayerValue) throws -> [Bool] {
    let time = value.steps
    var mask = [Bool](repeating: true, count: value.batch * time)
    for (sample, length) in lengths.data.enumerated() {
      guard length >= 0, length == length.rounded(), length <= Float(time) else {
        throw InterpreterError.invalidSequenceLength(input: input, sample: sample, length: length, time: time)
      }
      for t in Int(length)..<time { mask[sample * time + t] = false }
    }
    return mask
  }

  /// Checks constant initial states and lengths against the batch being run.
  func checkConstantBatch(_ batch: Int) throws {
    for layer in model.layers {
      for lstm in layer.kind.recurrentDirections {
        for constant in [lstm.initialHidden, lstm.initialCell, lstm.sequenceLengths].compactMap({ $0 })
        where constant.shape[0] != batch {
          throw InterpreterError.constantBatchMismatch(layer: layer.name, batch: batch, expected: constant.shape[0])
        }
      }
    }
  }
}
