import Foundation

/// Renders verification reports as the text `lstmc verify` prints.
public enum ReportFormatter {
  /// One block per fixture report: a heading, then a line per output with its
  /// shape, largest absolute and relative error, worst element and verdict.
  public static func text(_ reports: [FixtureReport]) -> String {
    var lines: [String] = []
    let nameWidth = max(8, reports.flatMap(\.outputs).map(\.name.count).max() ?? 0)
    for report in reports {
      lines.append(
        "\(report.fixture)  target \(report.target)  expected by \(report.producer)  "
          + "tolerance abs \(format(report.tolerance.abs)) rel \(format(report.tolerance.rel))")
      if !report.bound.isEmpty {
        lines.append("  bound from the fixture as constants: \(report.bound.joined(separator: ", "))")
      }
      for output in report.outputs {
        let name = output.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
        let shape = "[\(output.shape.map(String.init).joined(separator: ", "))]"
        let worst = "[\(output.worstIndex.map(String.init).joined(separator: ", "))]"
        var line =
          "  \(name)  \(shape.padding(toLength: 12, withPad: " ", startingAt: 0))  max abs \(format(output.maxAbsError))"
          + "  max rel \(format(output.maxRelError))"
        if let rms = output.rms {
          // A quantized model: its error statistics.
          line += "  RMS \(format(rms))  SNR \(output.snrDecibels.map { String(format: "%.1f dB", $0) } ?? "inf")"
          if let agreement = output.argmaxAgreement { line += String(format: "  argmax %.1f %%", agreement * 100) }
        }
        line += "  worst \(worst)  \(output.passed ? "PASS" : "FAIL")"
        if !output.passed {
          line +=
            " (\(output.failures) elements out of tolerance; at \(worst) got \(format(output.worstActual)), "
            + "expected \(format(output.worstExpected)))"
        }
        lines.append(line)
      }
    }
    let passed = reports.allSatisfy(\.passed)
    let outputs = reports.reduce(0) { $0 + $1.outputs.count }
    let failed = reports.reduce(0) { $0 + $1.outputs.filter { !$0.passed }.count }
    let fixtures = Set(reports.map(\.fixture)).count
    let targets = Set(reports.map(\.target)).count
    lines.append(
      (passed ? "PASS" : "FAIL")
        + ": \(outputs - failed) of \(outputs) outputs within tolerance (\(fixtures) fixture\(fixtures == 1 ? "" : "s"), "
        + "\(targets) target\(targets == 1 ? "" : "s"))")
    return lines.joined(separator: "\n")
  }

  /// A compact, readable number: `0`, `1.19e-07`, `0.5`.
  public static func format(_ value: Double) -> String {
    if value == 0 { return "0" }
    if !value.isFinite { return "\(value)" }
    return String(format: "%.3g", value)
  }
}
