import FixtureFormat
import Quantization

/// How one model output compares with a fixture's expected values.
public struct OutputComparison: Equatable, Sendable, Codable {
  /// The output's name (the model's).
  public var name: String
  /// Its shape.
  public var shape: [Int]
  /// The largest `|actual - expected|`.
  public var maxAbsError: Double
  /// The largest `|actual - expected| / |expected|` over elements whose expected value is not zero.
  public var maxRelError: Double
  /// The multi-index of the worst element: the one furthest outside (or closest to the edge of) the tolerance.
  public var worstIndex: [Int]
  /// The actual and expected values at ``worstIndex``.
  public var worstActual: Double
  /// The expected value at ``worstIndex``.
  public var worstExpected: Double
  /// The number of elements outside the tolerance.
  public var failures: Int
  /// Whether every element is within tolerance.
  public var passed: Bool
  /// For a quantized model: the root-mean-square of `actual - expected` (JSON `rms`).
  public var rms: Double?
  /// For a quantized model: `10 log10(Σ expected² / Σ (actual - expected)²)` in dB (JSON `snr_db`;
  /// `nil` also when the outputs are identical, since JSON has no infinity: then ``rms`` is 0).
  public var snrDecibels: Double?
  /// For a quantized model's `[batch, features]` output with several features: the fraction of rows
  /// whose largest element is at the same index (JSON `argmax_agreement`).
  public var argmaxAgreement: Double?

  private enum CodingKeys: String, CodingKey {
    case name, shape, maxAbsError, maxRelError, worstIndex, worstActual, worstExpected, failures, passed
    case rms
    case snrDecibels = "snr_db"
    case argmaxAgreement = "argmax_agreement"
  }

  /// Adds ``rms``, ``snrDecibels`` and ``argmaxAgreement``, the statistics reported for quantized
  /// models, computed as `lstmc quantize` computes them (``Quantization/ErrorStatistics``).
  public mutating func addStatistics(actual: [Float], expected: [Double]) {
    var statistics = ErrorStatistics(name: name)
    statistics.add(expected: expected.map { Float($0) }, actual: actual, shape: shape)
    rms = statistics.rms
    snrDecibels = statistics.snrDecibels.isFinite ? statistics.snrDecibels : nil
    argmaxAgreement = statistics.argmaxAgreement
  }

  /// Compares `actual` with `expected` (same count) under `tolerance`.
  public init(name: String, shape: [Int], actual: [Float], expected: [Double], tolerance: Tolerance) {
    precondition(actual.count == expected.count, "comparison of \(actual.count) against \(expected.count) values")
    var maxAbs = 0.0
    var maxRel = 0.0
    var worst = 0
    var worstRatio = -1.0
    var failures = 0
    for index in 0..<actual.count {
      let a = Double(actual[index])
      let e = expected[index]
      let difference = a.isNaN ? Double.infinity : Swift.abs(a - e)
      maxAbs = max(maxAbs, difference)
      if e != 0 { maxRel = max(maxRel, difference / Swift.abs(e)) }
      let allowed = tolerance.abs + tolerance.rel * Swift.abs(e)
      let ratio = allowed > 0 ? difference / allowed : (difference > 0 ? Double.infinity : 0)
      if !(difference <= allowed) { failures += 1 }
      if ratio > worstRatio {
        worstRatio = ratio
        worst = index
      }
    }
    self.name = name
    self.shape = shape
    self.maxAbsError = maxAbs
    self.maxRelError = maxRel
    self.worstIndex = Self.multiIndex(worst, shape: shape)
    self.worstActual = actual.isEmpty ? 0 : Double(actual[worst])
    self.worstExpected = expected.isEmpty ? 0 : expected[worst]
    self.failures = failures
    self.passed = failures == 0
  }

  private static func multiIndex(_ flat: Int, shape: [Int]) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for axis in shape.indices.reversed() where shape[axis] > 0 {
      index[axis] = rest % shape[axis]
      rest /= shape[axis]
    }
    return index
  }
}
