import Foundation

/// How far one output of a quantized model is from the float model's, accumulated over batches.
public struct ErrorStatistics: Equatable, Sendable, Encodable {
  /// The output's name.
  public var name: String
  /// The largest absolute difference.
  public var maxAbs: Double = 0
  /// Σ (quantized - float)².
  var squaredError: Double = 0
  /// Σ float².
  var squaredSignal: Double = 0
  /// Elements compared.
  public var count: Int = 0
  /// Rows (over the last axis) whose argmax agreed, for `[batch, features]` outputs with several features.
  public var argmaxAgreed: Int?
  /// Rows compared for ``argmaxAgreed``.
  public var argmaxRows: Int?

  /// Starts empty statistics for output `name`.
  public init(name: String) { self.name = name }

  /// The root-mean-square difference.
  public var rms: Double { count == 0 ? 0 : (squaredError / Double(count)).squareRoot() }

  /// Signal-to-noise ratio in dB, `10 log10(Σ float² / Σ error²)` (infinite when identical).
  public var snrDecibels: Double {
    squaredError == 0 ? .infinity : 10 * Foundation.log10(squaredSignal / squaredError)
  }

  /// The fraction of rows whose argmax agreed, when measured.
  public var argmaxAgreement: Double? {
    guard let argmaxAgreed, let argmaxRows, argmaxRows > 0 else { return nil }
    return Double(argmaxAgreed) / Double(argmaxRows)
  }

  /// Adds one batch: `expected` from the float model, `actual` from the integer one, same shape.
  public mutating func add(expected: [Float], actual: [Float], shape: [Int]) {
    for (e, a) in zip(expected, actual) {
      let difference = Double(a) - Double(e)
      if difference.isNaN { continue }
      maxAbs = max(maxAbs, abs(difference))
      squaredError += difference * difference
      squaredSignal += Double(e) * Double(e)
      count += 1
    }
    guard shape.count == 2, let width = shape.last, width > 1 else { return }
    var agreed = argmaxAgreed ?? 0
    var rows = argmaxRows ?? 0
    for start in stride(from: 0, to: min(expected.count, actual.count), by: width) {
      let e = expected[start..<(start + width)]
      let a = actual[start..<(start + width)]
      if e.indices.max(by: { e[$0] < e[$1] }) == a.indices.max(by: { a[$0] < a[$1] }) { agreed += 1 }
      rows += 1
    }
    argmaxAgreed = agreed
    argmaxRows = rows
  }

  enum CodingKeys: String, CodingKey {
    case name
    case maxAbs = "max_abs"
    case rms
    case snrDecibels = "snr_db"
    case argmaxAgreement = "argmax_agreement"
    case count
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    try container.encode(maxAbs, forKey: .maxAbs)
    try container.encode(rms, forKey: .rms)
    // JSON has no infinity: identical outputs give null.
    try container.encode(snrDecibels.isFinite ? snrDecibels : nil, forKey: .snrDecibels)
    try container.encodeIfPresent(argmaxAgreement, forKey: .argmaxAgreement)
    try container.encode(count, forKey: .count)
  }
}
