/// The per-sample shape of a value flowing along the chain (the batch axis is implicit).
public enum ValueShape: Equatable, Sendable {
  /// A sequence of integer indices, `[batch, time]`.
  case indices(time: Int?)
  /// A sequence of feature vectors, `[batch, time, features]`.
  case sequence(time: Int?, features: Int)
  /// One feature vector per sample, `[batch, features]`.
  case vector(features: Int)

  /// The full shape with a batch dimension in front.
  public func withBatch(_ batch: Int?) -> [Int?] {
    switch self {
    case .indices(let time): return [batch, time]
    case .sequence(let time, let features): return [batch, time, features]
    case .vector(let features): return [batch, features]
    }
  }

  /// Features on the last axis (`nil` for indices).
  public var features: Int? {
    switch self {
    case .indices: return nil
    case .sequence(_, let features), .vector(let features): return features
    }
  }

  /// A readable form such as `[batch, 10, 3]`.
  public var description: String {
    "["
      + withBatch(nil).map { $0.map(String.init) ?? "?" }.enumerated()
      .map { $0.offset == 0 ? "batch" : $0.element }.joined(separator: ", ") + "]"
  }
}
