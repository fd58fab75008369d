/// One LSTM running in one direction over a sequence.
///
/// Per step, with `x` the input and `h`, `c` the state:
/// `z_g = W_g x + U_g h + b_g` for each ``Gate``; `i = gate(z_i)`, `f = gate(z_f)`,
/// `o = gate(z_o)`, `c' = f ⊙ c + i ⊙ cell(z_c)`, `h' = o ⊙ hidden(c')`.
public struct LSTMLayer: Equatable, Sendable {
  /// Features per input step.
  public var inputSize: Int
  /// Units (hidden and cell state size).
  public var hiddenSize: Int
  /// The direction the layer walks time in.
  public var direction: Direction
  /// For a backward layer, the time order of the returned sequence.
  public var outputOrder: SequenceOrder
  /// Whether the layer returns every step's `h` (`[batch, time, hidden]`) or only the last (`[batch, hidden]`).
  public var returnSequences: Bool
  /// The gate parameters.
  public var weights: LSTMWeights
  /// The three activations.
  public var activations: LSTMActivations
  /// Whether the source layer had a bias (when not, every `b` is zero).
  public var usesBias: Bool
  /// Clip gate pre-activations to `[-clip, clip]` (ONNX `clip`); `nil` for none.
  public var clip: Float?
  /// Coupled input and forget gates: `f = 1 - i` (ONNX `input_forget`).
  public var coupledInputForget: Bool
  /// Whether the source layer was stateful; lstmc always starts from zero state.
  public var stateful: Bool
  /// At a masked step, output zeros instead of repeating the previous output
  /// (Keras `zero_output_for_mask`, set inside Bidirectional with return_sequences).
  public var zeroOutputForMask: Bool
  /// A constant initial hidden state `[batch, hidden]` (ONNX `initial_h` as an initializer);
  /// `nil` for zeros. It fixes the batch size the layer accepts.
  public var initialHidden: Tensor?
  /// A constant initial cell state `[batch, hidden]`; `nil` for zeros.
  public var initialCell: Tensor?
  /// Constant per-sample valid lengths `[batch]` (ONNX `sequence_lens` as an initializer):
  /// steps at or past a sample's length are masked (the layer then outputs zeros there
  /// when ``zeroOutputForMask`` is set). `nil` for none.
  public var sequenceLengths: Tensor?

  /// Creates an LSTM layer; see the properties for the meaning of each argument.
  public init(
    inputSize: Int, hiddenSize: Int, direction: Direction = .forward,
    outputOrder: SequenceOrder = .processing, returnSequences: Bool, weights: LSTMWeights,
    activations: LSTMActivations = .standard, usesBias: Bool = true, clip: Float? = nil,
    coupledInputForget: Bool = false, stateful: Bool = false, zeroOutputForMask: Bool = false
  ) {
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    self.direction = direction
    self.outputOrder = outputOrder
    self.returnSequences = returnSequences
    self.weights = weights
    self.activations = activations
    self.usesBias = usesBias
    self.clip = clip
    self.coupledInputForget = coupledInputForget
    self.stateful = stateful
    self.zeroOutputForMask = zeroOutputForMask
  }

  /// The number of parameters (kernels, biases and peepholes).
  public var parameterCount: Int {
    let perGate = hiddenSize * inputSize + hiddenSize * hiddenSize + hiddenSize
    return 4 * perGate + weights.peepholes.values.reduce(0) { $0 + $1.elementCount }
  }
}
