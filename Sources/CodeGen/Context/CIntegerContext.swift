/// The integer part of the C template context, present when the model is quantized: what
/// `integer_header.h.stencil` and `integer_source.c.stencil` render (documented in `templates/README.md`).
///
/// The arithmetic mirrors the integer reference (`Quantization.IntegerInterpreter`) one to one; the
/// element types are parameters so that further schemes become added cases.
struct CIntegerContext: Encodable {
  /// The scheme's name, e.g. `int8x8_16`.
  var scheme: String
  /// `per-channel` or `per-tensor`.
  var granularity: String
  /// The C type of inputs, outputs, values between layers and the hidden state (`int8_t`).
  var activationType: String
  /// Its bits and range.
  var activationBits: Int
  var activationMin: Int32
  var activationMax: Int32
  /// The input's quantization: a float literal and the zero point.
  var inputScale: String
  var inputZero: Int32
  /// The length of the state's quantized-input buffer `xq` (a C expression).
  var inputBufferLength: String
  /// The sigmoid and tanh tables' symbols (Q3.12 in, Q0.15 out, 513 entries).
  var sigmoidTable: String
  var tanhTable: String
  /// The LSTM directions' descriptors and the Dense kernels' (symbol, matrix).
  var lstms: [CIntegerLSTMContext]
  var denses: [CIntegerDenseContext]
  /// Which shared functions the model needs (unused static functions do not compile with -Werror).
  var usesLSTMStep: Bool
  var usesLSTMRun: Bool
  var usesDense: Bool
  var usesRelu: Bool
  var usesSoftmax: Bool
  /// Streaming models: per step, and after the last step; models that buffer: the whole sequence.
  var stepOperations: [CIntegerOperationContext]
  var finishOperations: [CIntegerOperationContext]
  var sequenceOperations: [CIntegerOperationContext]
  /// The outputs.
  var outputs: [CIntegerOutputContext]
  /// `name_act_t *out0, int16_t *out1`: the integer API's output parameters.
  var outputParameters: String
  /// `state->outq_0, state->outq_1`: the float API's integer output buffers as arguments.
  var bufferArguments: String
  /// `out0 + t * 5, out1`: `name_predict_q`'s outputs at step `t` (streaming models).
  var stepOutputArguments: String
  /// What `name_reset` sets.
  var hiddenResets: [CIntegerResetContext]
  /// The GRU directions' descriptors.
  var grus: [CIntegerGRUContext] = []
  var usesGRUStep = false
  var usesGRURun = false
  /// Whether some matrix accumulates in int64 (`int16x8_16`, ``CIntegerMatrixContext/wide``).
  var usesWideDot = false
  /// 1 when requantization is `multiplyWide` (`int16x8_16`), 0 for `multiply` (`int8x8_16`).
  var wideRequantization = 0
  /// The first Embedding layer, when the model starts with one (its input is int32 indices).
  var embedding: CIntegerEmbeddingContext?
  /// The C type of the integer API's input: `name_act_t`, or `int32_t` for Embedding indices.
  var inputType = ""
  /// Whether the sigmoid and tanh tables hold entries 0...256 only (the rest by symmetry).
  var halfTables = false
  /// Whether some layer computes a matrix product (`NAME_dot`, `NAME_product`, `NAME_saturate`), and
  /// whether the int32 `NAME_multiply` is called (the products of `int8x8_16`, an LSTM's or GRU's `h`).
  var usesProduct = false
  var usesMultiply = false
}
