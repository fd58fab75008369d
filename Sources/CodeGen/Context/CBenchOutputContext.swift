/// One model output as the benchmark harness (`templates/c/bench/bench.c.stencil`) sees it.
struct CBenchOutputContext: Encodable {
  /// Its position among the model's outputs (`NAME_OUTPUT_<index>_SIZE`).
  var index: Int
  /// The harness's buffer for it, `out<index>`.
  var parameter: String
  /// Whether it has a value for every step (the buffer holds `steps * size` floats).
  var isSequence: Bool
  /// Its element type in the integer API (`name_act_t`, or `int16_t` for a cell state); empty for a float model.
  var integerType: String
}
