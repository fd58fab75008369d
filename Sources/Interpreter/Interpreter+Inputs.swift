import CanonicalModel

extension Interpreter {
  /// Checks the input tensors against `model.inputs`: count, rank, fixed extents,
  /// free extents of at least 1, and one batch size for all.
  func checkInputs(_ inputs: [Tensor]) throws {
    guard inputs.count == model.inputs.count else {
      throw InterpreterError.wrongInputCount(expected: model.inputs.map(\.name), got: inputs.count)
    }
    for (tensor, input) in zip(inputs, model.inputs) {
      guard tensor.shape.count == input.shape.count else {
        throw InterpreterError.inputRankMismatch(input: input.name, expected: input.shape, got: tensor.shape)
      }
      for (axis, (extent, expected)) in zip(tensor.shape, input.shape).enumerated() {
        let fits = expected.map { extent == $0 } ?? (extent >= 1)
        guard fits else {
          throw InterpreterError.inputDimensionMismatch(
            input: input.name, axis: axis, axisName: Self.axisName(axis, of: input), expected: input.shape,
            got: tensor.shape)
        }
      }
    }
    let batch = inputs[0].shape[0]
    for (tensor, input) in zip(inputs, model.inputs).dropFirst() where tensor.shape[0] != batch {
      throw InterpreterError.batchMismatch(
        input: input.name, batch: tensor.shape[0], expected: batch, firstInput: model.inputs[0].name)
    }
  }

  /// The value the chain starts from: a sequence for `[batch, time, features]` and
  /// int32 `[batch, time]` inputs (indices as one feature), a vector otherwise.
  static func chainValue(from tensor: Tensor, as input: ModelInput) -> LayerValue {
    let shape = tensor.shape
    switch (input.elementType, shape.count) {
    case (.int32, _):
      return LayerValue(data: tensor.data, batch: shape[0], time: shape[1], features: 1)
    case (_, 3):
      return LayerValue(data: tensor.data, batch: shape[0], time: shape[1], features: shape[2])
    default:
      return LayerValue(data: tensor.data, batch: shape[0], time: nil, features: shape[1])
    }
  }

  /// The name of `axis` of `input`: `batch`, `time` or `features`.
  static func axisName(_ axis: Int, of input: ModelInput) -> String {
    switch axis {
    case 0: return "batch"
    case 1: return input.elementType == .int32 || input.shape.count == 3 ? "time" : "features"
    case 2: return "features"
    default: return "axis \(axis)"
    }
  }
}
