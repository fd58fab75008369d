import CanonicalModel
import CodeGen
import Foundation
import Testing

/// A model of about 100,000 parameters generates and compiles as Swift without a superlinear blow-up, on
/// the host (`swiftc -O`) and as Embedded Swift for a Cortex-M4F (the tables are 1,024-value literals).
@Suite struct Test_SwiftGenerationSpeed {
  static func model() -> Model {
    var builder = ModelBuilder(seed: 12)
    return ModelBuilder.model(
      features: 40,
      layers: [
        Layer(name: "lstm", kind: .lstm(builder.lstm(input: 40, hidden: 144, returnSequences: false))),
        Layer(name: "dense", kind: .dense(builder.dense(input: 144, units: 12, activation: .softmax))),
      ], outputs: [ModelOutput(name: "dense", layer: 1)])
  }

  /// This thread's CPU time in seconds: unlike the wall clock, it does not grow while a loaded
  /// machine runs other work (the guard failed at a load average of 14 with wall-clock times).
  static func threadCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }

  /// Runs `swiftc arguments` under `bash` and returns the result and the compiler's CPU seconds (user +
  /// system, from bash's `times`, which counts only that shell's children).
  static func compile(_ swiftc: String, _ arguments: [String], in folder: URL) throws -> (ProcessResult, Double) {
    let quoted = ([swiftc] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
    let result = try Host.run(
      "/bin/bash", ["-c", quoted.joined(separator: " ") + "; status=$?; times; exit $status"], in: folder)
    // `times` prints the shell's own user/system line, then its children's.
    let line = result.output.split(separator: "\n").last.map(String.init) ?? ""
    let seconds = line.split(separator: " ").reduce(0.0) { total, field in
      let parts = field.dropLast().split(separator: "m")
      guard parts.count == 2, let minutes = Double(parts[0]), let rest = Double(parts[1]) else { return total }
      return total + minutes * 60 + rest
    }
    return (result, seconds)
  }

  @Test func aHundredThousandParametersGenerateAndCompileQuickly() throws {
    let model = Self.model()
    #expect(model.parameterCount > 100_000)
    let start = Self.threadCPUSeconds()
    let files = try SwiftCodeGenerator.generate(model, testCases: [], options: CGenerationOptions())
    let generation = Self.threadCPUSeconds() - start
    // A guard against superlinear blow-ups (one huge literal took minutes), not a timing claim; CPU
    // seconds, so a loaded machine does not trip it. Speed is measured by `lstmc bench`.
    #expect(generation < 120, "generation took \(generation) s of CPU")
    guard let swiftc = Test_SwiftGoldens.swiftc else { return }
    let folder = try TemporaryFolder()
    try folder.write(files)
    let (host, hostSeconds) = try Self.compile(
      swiftc, ["-O", "-parse-as-library", "-c", "model.swift", "-o", "host.o"], in: folder.url)
    #expect(host.status == 0, "\(host.error)")
    #expect(hostSeconds > 0, "no CPU time read from: \(host.output)")
    let (embedded, embeddedSeconds) = try Self.compile(
      swiftc,
      Test_SwiftGoldens.embedded + [
        "-target", "armv7em-none-none-eabi", "-Xcc", "-mfloat-abi=hard", "-Xcc", "-mfpu=fpv4-sp-d16", "-c",
        "model.swift", "-o", "m4.o",
      ], in: folder.url)
    #expect(embedded.status == 0, "\(embedded.error)")
    print(
      "Swift: \(model.parameterCount) parameters: generated in \(String(format: "%.1f", generation)) s, "
        + "swiftc -O \(String(format: "%.1f", hostSeconds)) s, Embedded armv7em \(String(format: "%.1f", embeddedSeconds)) s"
    )
    // Blow-up guards again (a 32,768-value literal took minutes), in CPU seconds.
    #expect(generation + hostSeconds < 200, "\(generation) + \(hostSeconds) s of CPU")
    #expect(generation + embeddedSeconds < 200, "\(generation) + \(embeddedSeconds) s of CPU")
  }
}
