/// A named model output: one result of one layer of the chain, or the same state port of
/// several recurrent layers concatenated.
public struct ModelOutput: Equatable, Sendable {
  /// The output's name, as the source framework named it.
  public var name: String
  /// The index of the producing layer in ``Model/layers`` (the first listed layer when
  /// ``concatenatedLayers`` is set).
  public var layer: Int
  /// Which of the layer's results.
  public var port: LayerPort
  /// How the source file lays the output out, one entry per file axis; `nil` when
  /// it is the canonical tensor (see ``FileLayout``).
  public var fileAxes: [AxisSource]?
  /// `nil` for an output of one layer. Otherwise the output concatenates ``port`` (only
  /// ``LayerPort/hiddenStates`` or ``LayerPort/cellStates``) of these recurrent layers: at least
  /// two strictly increasing indices, the first equal to ``layer``. The canonical tensor is
  /// float32 `[batch, S]`, `S` the sum over the layers of `directions * hidden`; per sample, the
  /// row holds each layer's `[directions * hidden]` port value (forward's `hidden` values first)
  /// one after the other in list order (PyTorch's `h_n`/`c_n` of a multi-layer LSTM, whose file
  /// layout `[layers * directions, batch, hidden]` is `[outer(1), canonical(0), inner(1)]`).
  public var concatenatedLayers: [Int]?

  /// Creates an output description.
  public init(
    name: String, layer: Int, port: LayerPort = .output, fileAxes: [AxisSource]? = nil,
    concatenatedLayers: [Int]? = nil
  ) {
    self.name = name
    self.layer = layer
    self.port = port
    self.fileAxes = fileAxes
    self.concatenatedLayers = concatenatedLayers
  }

  /// The layers the output reads, in order: ``concatenatedLayers``, or just ``layer``.
  public var layers: [Int] { concatenatedLayers ?? [layer] }
}
