/// A fully connected layer applied to the last axis: `y = activation(kernel · x + bias)`.
///
/// On a sequence it acts on every step independently, as Keras `Dense` on a
/// 3-D input and `TimeDistributed(Dense)` both do.
public struct DenseLayer: Equatable, Sendable {
  /// Shape `[units, inputSize]` (output rows, like an LSTM gate's `W`).
  public var kernel: Tensor
  /// Shape `[units]`, or `nil` when the layer has none.
  public var bias: Tensor?
  /// The activation applied to the result.
  public var activation: Activation

  /// Creates a Dense layer.
  public init(kernel: Tensor, bias: Tensor?, activation: Activation) {
    self.kernel = kernel
    self.bias = bias
    self.activation = activation
  }

  /// Output features.
  public var units: Int { kernel.shape[0] }
  /// Input features.
  public var inputSize: Int { kernel.shape.count > 1 ? kernel.shape[1] : 0 }
  /// The number of parameters.
  public var parameterCount: Int { kernel.elementCount + (bias?.elementCount ?? 0) }
}
