/// One layer of the chain: what it computes and where it came from.
public struct Layer: Equatable, Sendable {
  /// The layer's name (unique within the model).
  public var name: String
  /// What the layer computes.
  public var kind: LayerKind
  /// The source layer this was imported from.
  public var origin: LayerOrigin

  /// Creates a layer; the origin defaults to the layer's own name and kind.
  public init(name: String, kind: LayerKind, origin: LayerOrigin? = nil) {
    self.name = name
    self.kind = kind
    self.origin = origin ?? LayerOrigin(name: name, className: kind.kindName)
  }
}
