import CanonicalModel

/// The range of one recurrent direction's hidden and cell states over every
/// processed step of a batch, recorded for calibration.
public struct StateObservation: Equatable, Sendable {
  /// The direction observed.
  public var direction: Direction
  /// The smallest and largest `h` (`nil` before any step).
  public var hidden: ClosedRange<Float>?
  /// The smallest and largest `c` (`nil` for a cell without one, or before any step).
  public var cell: ClosedRange<Float>?

  /// An empty observation of `direction`.
  public init(direction: Direction, hidden: ClosedRange<Float>? = nil, cell: ClosedRange<Float>? = nil) {
    self.direction = direction
    self.hidden = hidden
    self.cell = cell
  }

  mutating func record(hidden values: UnsafeBufferPointer<Float>) {
    hidden = Self.widen(hidden, values)
  }

  mutating func record(cell values: UnsafeBufferPointer<Float>) {
    cell = Self.widen(cell, values)
  }

  /// `range` widened to hold every finite value of `values`.
  static func widen(_ range: ClosedRange<Float>?, _ values: UnsafeBufferPointer<Float>) -> ClosedRange<Float>? {
    var low = range?.lowerBound ?? .infinity
    var high = range?.upperBound ?? -.infinity
    for value in values where value.isFinite {
      low = Swift.min(low, value)
      high = Swift.max(high, value)
    }
    return low <= high ? low...high : range
  }
}
