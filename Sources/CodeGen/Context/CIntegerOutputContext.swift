/// One model output in integer code: its integer type and how the float API dequantizes it.
struct CIntegerOutputContext: Encodable {
  /// Its position (parameter `outK`).
  var index: Int
  /// The integer element type (`name_act_t`, or `int16_t` for a cell state).
  var type: String
  /// Values per step (a sequence) or per sequence.
  var size: Int
  var isSequence: Bool
  /// The length of the state's integer buffer `outq_K` the float API writes it into (a C expression).
  var bufferLength: String
  /// A cell state (dequantized as `q * cellStep`) rather than an activation (`scale * (q - zero)`).
  var isCell: Bool
  /// float literals.
  var scale: String
  var zero: Int32
  var cellStep: String
  /// Whether a softmax runs on the dequantized values (the model ends in one).
  var softmax: Bool
}
