/// The root of the template context: everything `header.h.stencil`, `source.c.stencil` and
/// `test.c.stencil` see. Its shape is documented in `templates/README.md`.
struct CModelContext: Encodable {
  /// The symbol prefix for functions and types (`name`), as given by `--name`.
  var name: String
  /// The prefix for macros (`NAME`, the upper-cased name).
  var macro: String
  /// The generated files' names.
  var files: CFileNamesContext
  /// Where the code came from, for the comment at the top of every file.
  var provenance: CProvenanceContext
  /// The math mode and what it means.
  var math: CMathContext
  /// The model's input.
  var input: CInputContext
  /// The model's other inputs (sequence lengths, initial states), in the model's order.
  var extraInputs: [CExtraInputContext]
  /// Those that are initial states: extra `const float *` parameters of `name_reset` and `name_predict`.
  var stateInputs: [CExtraInputContext]
  /// The sequence-lengths input, if any (the caller passes a sample's length as `steps`).
  var sequenceLengths: CExtraInputContext?
  /// `NAME_FIXED_BATCH`: the samples the model's constant tables (initial states, lengths) hold one
  /// row each for, when more than one (the public functions then take `size_t sample`); else 0.
  var fixedBatch: Int
  /// `size_t sample, const float *initial_h0, ...`: `name_reset`'s parameters after the state (and
  /// `name_predict`'s after `steps`); empty when it takes none.
  var resetParameters: String
  /// `sample, initial_h0, ...`: the same as arguments.
  var resetArguments: String
  /// The model's outputs, in the model's order.
  var outputs: [COutputContext]
  /// `float *out0, float *out1, ...`: the output parameters of the public functions.
  var outputParameters: String
  /// `out0, out1, ...`: the same as arguments.
  var outputArguments: String
  /// ` || out0 == NULL || out1 == NULL ...`: the output pointers' NULL checks.
  var outputNullChecks: String
  /// `out0 + t * 5, out1, ...`: `name_predict`'s outputs at step `t` (streaming models).
  var stepOutputArguments: String
  /// Every weight table with its values, in layer order (layers refer to them by ``CTableReference``).
  var tables: [CWeightTableContext]
  /// Declare the tables `extern` without values (``CGenerationOptions/declaresTablesOnly``).
  var externTables: Bool
  /// The test program's inputs and expected outputs with their values (empty without test cases).
  var testTables: [CWeightTableContext]
  /// Every layer, in order, with its weights and helper functions.
  var layers: [CLayerContext]
  /// Whether `name_step` exists (every recurrent layer runs forward).
  var canStream: Bool
  /// `NAME_MAX_STEPS`: the sequence buffers' length, or 0 when the model streams and needs none.
  var maxSteps: Int
  /// Whether a Masking or `mask_zero` Embedding layer makes a per-step mask.
  var usesMask: Bool
  /// The Embedding layer whose index range `name_step`/`name_predict` check, if the input is indices.
  var embedding: CEmbeddingContext?
  /// The fields of `name_state_t`.
  var state: CStateContext
  /// The activation functions the model needs, each once.
  var activations: [CActivationContext]
  /// Which shared helper functions the model needs.
  var helpers: CHelpersContext
  /// What `name_step` does to one timestep, before the final part (streaming models).
  var stepOperations: [COperationContext]
  /// What `name_predict` does layer by layer over whole sequences (models that buffer).
  var sequenceOperations: [COperationContext]
  /// What runs after the last step: layers after the time axis ends, and the final states.
  var finishOperations: [COperationContext]
  /// Whether the final part reads a current value `x` (it does unless it only copies states).
  var finishUsesValue: Bool
  /// The memory report.
  var memory: CMemoryContext
  /// The number of parameters.
  var parameterCount: Int
  /// `"\n"`, for `join` in templates (`{{ table.lines|join:newline|indent:4 }}`).
  var newline: String
  /// The test program's data (only when test cases were given).
  var test: CTestContext?
  /// The integer inference of a quantized model (`nil` for a float model).
  var integer: CIntegerContext? = nil
}
