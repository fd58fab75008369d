/// Keras `Masking`: a step whose features all equal `maskValue` is masked.
///
/// The layer zeroes masked steps; recurrent layers downstream leave their state
/// unchanged at a masked step and repeat their previous output.
public struct MaskingLayer: Equatable, Sendable {
  /// The value that marks a step as padding.
  public var maskValue: Float

  /// Creates a Masking layer.
  public init(maskValue: Float) {
    self.maskValue = maskValue
  }
}
