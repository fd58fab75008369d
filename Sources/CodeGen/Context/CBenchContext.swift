/// The context of `templates/c/bench/bench.c.stencil`, the host-only program `lstmc bench`
/// times the generated code with. Its shape is documented in `templates/README.md`.
struct CBenchContext: Encodable {
  /// The model's symbol prefix (`name_step`).
  var name: String
  /// The model's macro prefix (`NAME_INPUT_SIZE`).
  var macro: String
  /// The model's header file, `name.h`.
  var header: String
  /// The input.
  var input: CBenchInputContext
  /// The outputs, in the model's order.
  var outputs: [CBenchOutputContext]
  /// `out0, out1, ...`: the output buffers as arguments of `name_step` and `name_predict`.
  var outputArguments: String
  /// Whether `name_step` exists.
  var canStream: Bool
  /// What the harness passes after `steps` to `name_predict` and after the state to `name_reset`
  /// for an ONNX model's extra parameters: sample `0` of the model's constant tables, `NULL` (zero)
  /// initial states; empty when the functions take none.
  var resetArguments: String
  /// Whether the model is quantized: the Cortex-M harness then also runs the integer API
  /// (`name_step_q`, `name_predict_q`) in modes 2 and 3.
  var isInteger: Bool
  /// The integer API's input element type (`name_act_t`, or `int32_t` for indices); empty for a float model.
  var integerInputType: String
}
