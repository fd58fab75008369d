import CanonicalModel

/// A batch of values flowing from one layer to the next, with its Keras-style mask.
///
/// Either a sequence `[batch, time, features]` or one vector per sample
/// `[batch, features]` (`time == nil`). Index inputs travel as a sequence of
/// one feature holding exact integer floats.
struct LayerValue {
  /// The elements, row-major, batch first.
  var data: [Float]
  /// Samples in the batch.
  var batch: Int
  /// Steps per sample, or `nil` for a vector per sample.
  var time: Int?
  /// Features per step (or per sample).
  var features: Int
  /// `[batch * time]`, `true` where a step is kept and `false` where it is
  /// masked (Keras convention); `nil` when nothing is masked. Only sequences carry one.
  var mask: [Bool]? = nil

  /// The value as a batch-first tensor.
  var tensor: Tensor {
    Tensor(shape: time.map { [batch, $0, features] } ?? [batch, features], data: data)
  }

  /// Steps per sample, treating a vector as one step.
  var steps: Int { time ?? 1 }
}
