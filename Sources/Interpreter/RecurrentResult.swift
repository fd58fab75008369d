/// What one direction of a recurrent layer produces for a batch.
struct RecurrentResult {
  /// The layer's main output: the sequence (in the layer's output order, with
  /// the mask aligned to it) or, without return_sequences, the last processed step's output.
  var output: LayerValue
  /// `[batch, hidden]`: `h` after the last processed (unmasked) step.
  var finalHidden: [Float]
  /// `[batch, hidden]`: `c` after the last processed (unmasked) step; empty for a GRU.
  var finalCell: [Float]
  /// When the run was asked to observe: the smallest and largest `h` and `c` of every processed step.
  var observedRanges: StateObservation? = nil
}
