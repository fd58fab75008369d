import CanonicalModel
import Interpreter

/// The value ranges the float model produced over the calibration data.
public struct Calibration: Sendable {
  /// The range of the model's sequence input.
  public var input: ClosedRange<Float>?
  /// Per layer: the range of its main output (before a boundary softmax).
  public var outputs: [ClosedRange<Float>?]
  /// Per layer: each recurrent direction's `h` and `c` ranges over every processed step.
  public var states: [[StateObservation]]
  /// The calibration sequences seen (batch rows summed over batches).
  public var sequences: Int

  /// Runs the float interpreter over every batch and records the ranges.
  ///
  /// A final softmax is removed for the run, so the last layer's range is that of the logits
  /// the integer model carries (softmax runs at the dequantize boundary).
  public static func record(_ model: Model, batches: [[Tensor]]) throws -> Calibration {
    guard !batches.isEmpty else { throw QuantizationError.noCalibrationData("give at least one sequence") }
    let interpreter = try Interpreter(model: withoutBoundarySoftmax(model))
    var result = Calibration(
      input: nil, outputs: Array(repeating: nil, count: model.layers.count),
      states: Array(repeating: [], count: model.layers.count), sequences: 0)
    for inputs in batches {
      result.input = widen(result.input, inputs[0].data)
      result.sequences += inputs[0].shape.first ?? 0
      _ = try interpreter.run(inputs) { observation in
        let index = observation.layer
        result.outputs[index] = widen(result.outputs[index], observation.output.data)
        if result.states[index].isEmpty {
          result.states[index] = observation.states
        } else {
          for (slot, state) in observation.states.enumerated() {
            result.states[index][slot].hidden = union(result.states[index][slot].hidden, state.hidden)
            result.states[index][slot].cell = union(result.states[index][slot].cell, state.cell)
          }
        }
      }
    }
    return result
  }

  /// `model` with a final softmax replaced by linear.
  static func withoutBoundarySoftmax(_ model: Model) -> Model {
    guard IntegerSupport.hasBoundarySoftmax(model) else { return model }
    var copy = model
    let last = copy.layers.count - 1
    switch copy.layers[last].kind {
    case .dense(var dense):
      dense.activation = .linear
      copy.layers[last].kind = .dense(dense)
    case .timeDistributedDense(var dense):
      dense.activation = .linear
      copy.layers[last].kind = .timeDistributedDense(dense)
    default:
      copy.layers[last].kind = .activation(.linear)
    }
    return copy
  }

  static func widen(_ range: ClosedRange<Float>?, _ values: [Float]) -> ClosedRange<Float>? {
    var low = range?.lowerBound ?? .infinity
    var high = range?.upperBound ?? -.infinity
    for value in values where value.isFinite {
      low = min(low, value)
      high = max(high, value)
    }
    return low <= high ? low...high : range
  }

  static func union(_ a: ClosedRange<Float>?, _ b: ClosedRange<Float>?) -> ClosedRange<Float>? {
    guard let a else { return b }
    guard let b else { return a }
    return min(a.lowerBound, b.lowerBound)...max(a.upperBound, b.upperBound)
  }
}
