/// A named model input.
public struct ModelInput: Equatable, Sendable, Codable {
  /// The input's name, as the source framework named it.
  public var name: String
  /// Its element type.
  public var elementType: ElementType
  /// Its shape, batch first; `nil` marks a dimension fixed only at run time.
  /// A float sequence input is `[batch, time, features]`, an index input `[batch, time]`.
  public var shape: [Int?]
  /// What the input feeds; `nil` means ``InputRole/sequence`` (the chain's data).
  public var role: InputRole?
  /// How the source file lays the tensor out, one entry per file axis; `nil` when
  /// the file's tensor is the canonical one (see ``FileLayout``).
  public var fileAxes: [AxisSource]?

  /// Creates an input description.
  public init(
    name: String, elementType: ElementType, shape: [Int?], role: InputRole? = nil, fileAxes: [AxisSource]? = nil
  ) {
    self.name = name
    self.elementType = elementType
    self.shape = shape
    self.role = role
    self.fileAxes = fileAxes
  }

  /// ``role``, with `nil` read as ``InputRole/sequence``.
  public var effectiveRole: InputRole { role ?? .sequence }

  /// The shape as the source file lays the input out.
  public var fileShape: [Int?] { FileLayout.fileShape(shape, axes: fileAxes) }
}
