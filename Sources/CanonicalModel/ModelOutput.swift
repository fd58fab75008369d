/// A named model output: one result of one layer of the chain.
public struct ModelOutput: Equatable, Sendable {
  /// The output's name, as the source framework named it.
  public var name: String
  /// The index of the producing layer in ``Model/layers``.
  public var layer: Int
  /// Which of the layer's results.
  public var port: LayerPort
  /// How the source file lays the output out, one entry per file axis; `nil` when
  /// it is the canonical tensor (see ``FileLayout``).
  public var fileAxes: [AxisSource]?

  /// Creates an output description.
  public init(name: String, layer: Int, port: LayerPort = .output, fileAxes: [AxisSource]? = nil) {
    self.name = name
    self.layer = layer
    self.port = port
    self.fileAxes = fileAxes
  }
}
