import Benchmark
import Foundation
import Verification

/// The human-readable form of a ``BenchmarkReport``.
enum BenchReportFormatter {
  static func text(_ report: BenchmarkReport) -> String {
    var lines: [String] = []
    lines.append(
      "\(report.model): \(report.steps) steps, batch 1, --math \(report.math), --target-core \(report.targetCore), "
        + "\(report.compiler) -std=c99 -O2 \(report.cflags.joined(separator: " "))")
    if !report.compilerVersion.isEmpty { lines.append("compiler: \(report.compilerVersion)") }
    lines.append(
      "peak:  \(number(report.peak.macsPerNanosecond)) multiply-adds/ns (\(number(report.peak.gflops)) GFLOP/s), "
        + "float32, one thread, best kernel \(report.peak.lanes) chains, flags + -ffp-contract=fast")
    lines.append("floor: \(report.floor.formula)")
    lines.append(
      "       \(report.floor.worked) / peak = \(number(report.floor.nanosecondsPerStep)) ns per step")
    if let memory = report.memoryFloor {
      lines.append(
        "memory floor: \(memory.bytes) weight bytes / \(number(memory.bytesPerNanosecond)) bytes/ns "
          + "(read from a \(memory.bufferBytes)-byte buffer) = \(number(memory.nanosecondsPerStep)) ns per step")
    }
    lines.append("")
    let header = ["", "ns/step median", "min - max", "x floor", "x limit", "instructions/step"]
    var rows: [[String]] = []
    func row(_ label: String, _ timing: BenchmarkTiming?, ratio: Double?, limit: Double?, instructions: Int?) {
      guard let timing else {
        rows.append([label, "-", "-", "-", "-", "-"])
        return
      }
      rows.append([
        label, number(timing.medianNanoseconds),
        "\(number(timing.minNanoseconds)) - \(number(timing.maxNanoseconds))",
        ratio.map(number) ?? "-", limit.map(number) ?? "-", instructions.map(String.init) ?? "-",
      ])
    }
    let limit = report.memoryFloor.map { max($0.nanosecondsPerStep, report.floor.nanosecondsPerStep) }
    row(
      "step", report.step, ratio: report.ratio.step, limit: report.ratio.stepVsLimit,
      instructions: report.instructions?.step)
    row(
      "predict", report.predict, ratio: report.ratio.predict, limit: report.ratio.predictVsLimit,
      instructions: report.instructions?.predict)
    row(
      "interpreter", report.interpreter,
      ratio: report.interpreter.medianNanoseconds / report.floor.nanosecondsPerStep,
      limit: limit.map { report.interpreter.medianNanoseconds / $0 }, instructions: nil)
    lines += table(header: header, rows: rows)
    lines.append("")
    let preempted = [report.step, report.predict].compactMap { $0?.preemptedRuns }
    let wall = [("step", report.step), ("predict", report.predict)].compactMap { label, timing in
      timing.map { "\(label) \(number($0.wallMedianNanoseconds))" }
    }
    lines.append(
      "on-CPU times (the thread's CPU clock); x limit: over max(floor, memory floor); "
        + (preempted.isEmpty
          ? "preemption unknown"
          : "\(preempted.reduce(0, +)) of \(report.predict.runs * preempted.count) timed runs preempted")
        + "; wall-clock medians: \(wall.joined(separator: ", ")) ns/step")
    lines.append(
      "median and min - max of \(report.predict.runs) timed runs after warm-up; "
        + (report.step == nil ? "" : "step: \(report.steps) calls of model_step per run; ")
        + "predict: one \(report.steps)-step sequence per run; interpreter: \(report.interpreter.runs) runs "
        + "of \(report.interpreter.steps) steps")
    if let instructions = report.instructions {
      lines.append(
        "instructions: callgrind, inside model_reset/step/predict only, difference between \(instructions.steps.map(String.init).joined(separator: " and ")) "
          + "steps, flags \(instructions.cflags.joined(separator: " "))")
    }
    for note in report.notes { lines.append("note: \(note)") }
    return lines.joined(separator: "\n")
  }

  static func text(_ report: MCUBenchmarkReport) -> String {
    var lines: [String] = []
    lines.append(
      "\(report.model): \(report.target), batch 1, --math \(report.math), --target-core \(report.targetCore), "
        + "\(report.compiler) \(report.cflags.joined(separator: " "))")
    lines.append("floor: \(report.floor.formula)")
    lines.append("       \(report.floor.worked)")
    lines.append("")
    let header = ["", "instructions/step", "per multiply-add"]
    var rows: [[String]] = []
    rows.append(
      ["step", report.instructions.step.map(number) ?? "-", report.perMAC.step.map(number) ?? "-"])
    rows.append(["predict", number(report.instructions.predict), number(report.perMAC.predict)])
    if let predictQ = report.instructions.predictQ {
      rows.append(
        ["step_q", report.instructions.stepQ.map(number) ?? "-", report.perMAC.stepQ.map(number) ?? "-"])
      rows.append(["predict_q", number(predictQ), report.perMAC.predictQ.map(number) ?? "-"])
    }
    lines += table(header: header, rows: rows)
    lines.append("")
    let memory = report.memory
    lines.append(
      "memory (\(memory.method)): code \(memory.code) bytes, "
        + "weights and constants \(memory.readOnlyData) bytes, state struct \(memory.state.map(String.init) ?? "?") bytes, "
        + "stack \(memory.stackPredict.map { "\($0) bytes" } ?? "not measured") (predict)"
        + (memory.stackStep.map { ", \($0) bytes (step)" } ?? ""))
    lines.append("instructions: \(report.method)")
    for note in report.notes { lines.append("note: \(note)") }
    return lines.joined(separator: "\n")
  }

  /// A text table: the first column left-aligned, the others right-aligned, two spaces apart.
  static func table(header: [String], rows: [[String]]) -> [String] {
    let widths = (0..<header.count).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    return ([header] + rows).map { cells in
      cells.enumerated().map { index, cell in
        index == 0
          ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[index] - cell.count) + cell
      }.joined(separator: "  ")
    }
  }

  /// Three significant digits, without exponent for ordinary magnitudes.
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "\(value)" }
    let magnitude = abs(value)
    if magnitude >= 100 { return String(format: "%.0f", value) }
    if magnitude >= 10 { return String(format: "%.1f", value) }
    if magnitude >= 1 { return String(format: "%.2f", value) }
    return String(format: "%.3g", value)
  }
}
