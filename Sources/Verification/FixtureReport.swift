import FixtureFormat

/// The result of checking one fixture on one target.
public struct FixtureReport: Equatable, Sendable, Codable {
  /// The fixture file, as given.
  public var fixture: String
  /// The target it ran on.
  public var target: String
  /// Who produced the expected values, e.g. `tf-keras 2.21.0`.
  public var producer: String
  /// The tolerance applied.
  public var tolerance: Tolerance
  /// One comparison per model output.
  public var outputs: [OutputComparison]
  /// Graph inputs bound as constants from this fixture's values before the model was imported (ONNX
  /// weights given as graph inputs), in the order the import needed them; empty when none were.
  public var bound: [String] = []

  /// Whether every output passed.
  public var passed: Bool { outputs.allSatisfy(\.passed) }

  /// Creates a report.
  public init(fixture: String, target: String, producer: String, tolerance: Tolerance, outputs: [OutputComparison]) {
    self.fixture = fixture
    self.target = target
    self.producer = producer
    self.tolerance = tolerance
    self.outputs = outputs
  }

  private enum CodingKeys: String, CodingKey {
    case fixture, target, producer, tolerance, outputs, passed, bound
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    fixture = try container.decode(String.self, forKey: .fixture)
    target = try container.decode(String.self, forKey: .target)
    producer = try container.decode(String.self, forKey: .producer)
    tolerance = try container.decode(Tolerance.self, forKey: .tolerance)
    outputs = try container.decode([OutputComparison].self, forKey: .outputs)
    bound = try container.decodeIfPresent([String].self, forKey: .bound) ?? []
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(fixture, forKey: .fixture)
    try container.encode(target, forKey: .target)
    try container.encode(producer, forKey: .producer)
    try container.encode(tolerance, forKey: .tolerance)
    try container.encode(outputs, forKey: .outputs)
    try container.encode(passed, forKey: .passed)
    try container.encode(bound, forKey: .bound)
  }
}
