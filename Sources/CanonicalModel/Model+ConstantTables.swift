extension Model {
  /// The batch size the model's constant per-sample tables (ONNX `initial_h`, `initial_c` or
  /// `sequence_lens` given as initializers) fix, 0 when it has none: such a model runs on exactly
  /// that many samples, one row of each table per sample.
  public var constantTableBatch: Int {
    layers.flatMap(\.kind.recurrentDirections).flatMap { lstm in
      [lstm.initialHidden, lstm.initialCell, lstm.sequenceLengths].compactMap { $0?.shape.first }
    }.max() ?? 0
  }
}
