/// The weights a file holds for one part of one layer, keyed by Keras weight
/// name (`kernel`, `recurrent_kernel`, `bias`, `embeddings`).
struct KerasWeightGroup {
  /// Where in the file the weights were looked for, for messages.
  var location: String
  /// The weights found, by Keras name; each dataset is read only when needed.
  var weights: [String: HDF5Dataset]
  /// Why nothing could be found, when that is the case.
  var problem: String?
}
