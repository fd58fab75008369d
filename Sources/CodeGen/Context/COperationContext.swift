/// One step of the generated functions' straight-line code. The current value is the C variable `x`
/// (`const float *`): one step's features in `stepOperations` and `finishOperations`, a whole
/// `[steps x size]` sequence in `sequenceOperations`.
///
/// Kinds and the fields they use:
/// - `embedding` (`table`, `size`, `maskZero`; sequences also `destination`): look up the input indices.
/// - `masking` (`function`, `destination`, `size`): mask and zero steps equal to the mask value.
/// - `recurrent` (an LSTM, a GRU or a Bidirectional layer): step: `function` (the cell),
///   `hiddenField`, `cellField` (an LSTM only), `flagField`, `usesMask`, `zeroOutputForMask`,
///   `returnSequences`; sequences: `runs` and `destination` when `returnSequences`.
/// - `dense`, `activation` (`function`, `destination`, `inputSize`, `size`).
/// - `lastOutput` (`hiddenField`, `flagField`): `x` becomes the layer's last output (h, or zeros).
/// - `mergeLastOutputs` (`forward`, `backward`, `merge`, `destination`, `size`): a Bidirectional
///   layer's merged last output.
/// - `lastStep` (`destination`, `size`): LastTimeStep keeps the current step's value (step), or the
///   sequence's last step (sequences), in `destination`.
/// - `value` (`destination`): `x` becomes `destination` (the value a LastTimeStep layer kept).
/// - `output` (`output`, `size`): copy `x` to output `output`.
/// - `state` (`output`, `field`, `size`, `offset`): copy a state field to output `output`, starting at
///   `offset` (all directions' states concatenated, forward first).
struct COperationContext: Encodable {
  var kind: String
  /// What the operation does, for a comment (comment-safe).
  var comment: String
  var function: String? = nil
  var destination: String? = nil
  var inputSize: Int? = nil
  var size: Int? = nil
  var table: String? = nil
  var maskZero: Bool? = nil
  var usesMask: Bool? = nil
  var zeroOutputForMask: Bool? = nil
  var returnSequences: Bool? = nil
  var hiddenField: String? = nil
  var cellField: String? = nil
  var flagField: String? = nil
  var output: Int? = nil
  var field: String? = nil
  var offset: Int? = nil
  var runs: [CRunCallContext]? = nil
  var merge: String? = nil
  var forward: CLastOutputContext? = nil
  var backward: CLastOutputContext? = nil
}
