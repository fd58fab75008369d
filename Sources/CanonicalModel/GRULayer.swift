/// One GRU running in one direction over a sequence.
///
/// Per step, with `x` the input and `h` the state (`⊙` elementwise, `g` the gate
/// activation, `φ` the candidate activation):
/// ```
/// z = g(W_z x + U_z h + b_z)
/// r = g(W_r x + U_r h + b_r)
/// n = φ(W_n x + b_n + r ⊙ (U_n h + bU))     when resetAfter
/// n = φ(W_n x + b_n + U_n (r ⊙ h) + bU)     otherwise
/// h' = z ⊙ h + (1 − z) ⊙ n
/// ```
/// `resetAfter` is Keras's `reset_after=True` (the TF2 and Keras 3 default), ONNX's
/// `linear_before_reset=1` and every PyTorch `nn.GRU`. With ``clip``, the pre-activations
/// of z, r and n are clipped to `[-clip, clip]` before their activations (ONNX `clip`).
/// Masking, directions, output order, initial states and lengths behave as in ``LSTMLayer``;
/// a GRU has no cell state.
public struct GRULayer: Equatable, Sendable {
  /// Features per input step.
  public var inputSize: Int
  /// Units (hidden state size).
  public var hiddenSize: Int
  /// The direction the layer walks time in.
  public var direction: Direction
  /// For a backward layer, the time order of the returned sequence.
  public var outputOrder: SequenceOrder
  /// Whether the layer returns every step's `h` (`[batch, time, hidden]`) or only the last (`[batch, hidden]`).
  public var returnSequences: Bool
  /// The gate parameters.
  public var weights: GRUWeights
  /// The two activations.
  public var activations: GRUActivations
  /// Whether the reset gate multiplies `U_n h + bU` (true) or `h` before `U_n` (false).
  public var resetAfter: Bool
  /// Whether the source layer had a bias (when not, every `b` and `bU` is zero).
  public var usesBias: Bool
  /// Clip gate pre-activations to `[-clip, clip]` (ONNX `clip`); `nil` for none.
  public var clip: Float?
  /// Whether the source layer was stateful; lstmc always starts from zero state.
  public var stateful: Bool
  /// At a masked step, output zeros instead of repeating the previous output
  /// (Keras `zero_output_for_mask`, set inside Bidirectional with return_sequences).
  public var zeroOutputForMask: Bool
  /// A constant initial hidden state `[batch, hidden]` (ONNX `initial_h` as an initializer);
  /// `nil` for zeros. It fixes the batch size the layer accepts.
  public var initialHidden: Tensor?
  /// Constant per-sample valid lengths `[batch]`, as ``LSTMLayer/sequenceLengths``.
  public var sequenceLengths: Tensor?

  /// Creates a GRU layer; see the properties for the meaning of each argument.
  public init(
    inputSize: Int, hiddenSize: Int, direction: Direction = .forward,
    outputOrder: SequenceOrder = .processing, returnSequences: Bool, weights: GRUWeights,
    activations: GRUActivations = .standard, resetAfter: Bool = true, usesBias: Bool = true,
    clip: Float? = nil, stateful: Bool = false, zeroOutputForMask: Bool = false
  ) {
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    self.direction = direction
    self.outputOrder = outputOrder
    self.returnSequences = returnSequences
    self.weights = weights
    self.activations = activations
    self.resetAfter = resetAfter
    self.usesBias = usesBias
    self.clip = clip
    self.stateful = stateful
    self.zeroOutputForMask = zeroOutputForMask
  }

  /// The number of parameters (kernels and biases, including the candidate's recurrent bias).
  public var parameterCount: Int {
    let perGate = hiddenSize * inputSize + hiddenSize * hiddenSize + hiddenSize
    return 3 * perGate + hiddenSize
  }
}
