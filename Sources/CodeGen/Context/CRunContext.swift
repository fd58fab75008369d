/// How a buffering model's `<symbol>_run(state, x, steps, mask[, out])` walks a sequence.
struct CRunContext: Encodable {
  /// Whether it walks from the last step to the first.
  var isBackward: Bool
  /// Whether it writes a sequence to `out`.
  var writesSequence: Bool
  /// The C expression of the output slot: `k` (the k-th processed step) or `t` (the input step).
  var slot: String
  /// Floats between consecutive output steps in `out`.
  var stride: Int
  /// Where this direction's values start within a step (Bidirectional concat: H of the forward for the backward).
  var offset: Int
  /// `store` (`o = v`), or, for the second direction of a Bidirectional layer, `sum` (`o = v + o`),
  /// `mul` (`o = v * o`) or `ave` (`o = (v + o) / 2`).
  var merge: String
  /// The constant per-sample lengths table (`int32_t`), when the layer holds one: steps at or past
  /// the length are masked.
  var lengths: String? = nil
  /// Whether that table has one entry per sample (indexed by `state->sample`) rather than one.
  var lengthsPerSample: Bool = false
}
