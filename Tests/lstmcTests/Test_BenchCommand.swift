import Foundation
import Testing

/// `lstmc bench`: the command's output shape and errors. Timings are never asserted (machines are
/// noisy); only that they are positive, ordered and consistent with each other.
@Suite struct BenchCommandTests {
  static let model = "Fixtures/bench/lstm_8x8.h5"

  /// The top-level keys of `--json`, which scripts rely on.
  static let topKeys: Set<String> = [
    "model", "steps", "compiler", "compiler_version", "cflags", "math", "streams", "peak", "floor", "step", "predict",
    "interpreter", "ratio", "instructions", "notes", "memory_floor", "target_core",
  ]
  static let timingKeys: Set<String> = [
    "median_ns", "min_ns", "max_ns", "runs", "steps", "clock", "wall_median_ns", "preempted_runs",
  ]

  static func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  static func checkTiming(_ value: Any?, steps: Int, runs: Int? = nil) throws -> Double {
    let timing = try #require(value as? [String: Any])
    #expect(Set(timing.keys) == timingKeys)
    let median = try #require(timing["median_ns"] as? Double)
    let low = try #require(timing["min_ns"] as? Double)
    let high = try #require(timing["max_ns"] as? Double)
    #expect(low > 0 && low <= median && median <= high)
    #expect(timing["steps"] as? Int == steps)
    if let runs { #expect(timing["runs"] as? Int == runs) }
    return median
  }

  @Test func jsonHasSaneValuesAndTheRatioIsTimeOverFloor() throws {
    let result = try CLIRunner.run(["bench", Self.model, "--steps", "40", "--runs", "3", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try Self.object(result.stdout)
    #expect(Set(report.keys) == Self.topKeys)
    #expect(report["steps"] as? Int == 40)
    #expect(report["math"] as? String == "fast")
    #expect(report["target_core"] as? String == "host")
    #expect(report["cflags"] as? [String] == ["-O3", "-march=native"])
    #expect(report["streams"] as? Bool == true)

    let peak = try #require(report["peak"] as? [String: Any])
    let macsPerNanosecond = try #require(peak["mac_per_ns"] as? Double)
    #expect(macsPerNanosecond > 0)
    #expect(abs((peak["gflops"] as? Double ?? 0) - 2 * macsPerNanosecond) <= 1e-9 * macsPerNanosecond)

    // The model is one LSTM with 8 inputs and 8 units (Fixtures/generate_bench.py): 4*8*(8+8).
    let floor = try #require(report["floor"] as? [String: Any])
    #expect(floor["mac_per_step"] as? Int == 512)
    #expect((floor["formula"] as? String)?.contains("4*H*(I+H)") == true)
    let floorNanoseconds = try #require(floor["ns_per_step"] as? Double)
    #expect(abs(floorNanoseconds - 512 / macsPerNanosecond) <= 1e-9 * floorNanoseconds)
    let terms = try #require(floor["terms"] as? [[String: Any]])
    #expect(terms.count == 1 && terms[0]["input"] as? Int == 8 && terms[0]["hidden"] as? Int == 8)

    let step = try Self.checkTiming(report["step"], steps: 40, runs: 3)
    let predict = try Self.checkTiming(report["predict"], steps: 40, runs: 3)
    _ = try Self.checkTiming(report["interpreter"], steps: 40)
    let ratio = try #require(report["ratio"] as? [String: Any])
    let stepRatio = try #require(ratio["step"] as? Double)
    let predictRatio = try #require(ratio["predict"] as? Double)
    #expect(abs(stepRatio - step / floorNanoseconds) <= 1e-9 * stepRatio)
    #expect(abs(predictRatio - predict / floorNanoseconds) <= 1e-9 * predictRatio)
    #expect((report["step"] as? [String: Any])?["clock"] as? String == "thread_cpu")
    let preempted = (report["predict"] as? [String: Any])?["preempted_runs"] as? Int
    #expect(preempted.map { (0...3).contains($0) } ?? true)

    // The memory floor: the model's weight bytes (4 gates x (8x8 + 8x8 + 8) + Dense) at the read
    // bandwidth measured from a buffer of that size, and the ratio to the larger floor.
    let memory = try #require(report["memory_floor"] as? [String: Any])
    let bytes = try #require(memory["bytes"] as? Int)
    #expect(bytes >= 4 * 4 * (64 + 64 + 8))
    #expect((memory["buffer_bytes"] as? Int ?? 0) >= bytes)
    let bandwidth = try #require(memory["bytes_per_ns"] as? Double)
    let memoryNanoseconds = try #require(memory["ns_per_step"] as? Double)
    #expect(bandwidth > 0 && abs(memoryNanoseconds - Double(bytes) / bandwidth) <= 1e-9 * memoryNanoseconds)
    let limit = max(floorNanoseconds, memoryNanoseconds)
    let stepVsLimit = try #require(ratio["step_vs_limit"] as? Double)
    #expect(abs(stepVsLimit - step / limit) <= 1e-9 * stepVsLimit)
    let predictVsLimit = try #require(ratio["predict_vs_limit"] as? Double)
    #expect(abs(predictVsLimit - predict / limit) <= 1e-9 * predictVsLimit)

    // Instructions are counted when valgrind is installed, and then are positive per step.
    if report["instructions"] is NSNull {
      #expect((report["notes"] as? [String])?.contains { $0.contains("valgrind") } == true)
    } else {
      let instructions = try #require(report["instructions"] as? [String: Any])
      #expect((instructions["step"] as? Int ?? 0) > 0)
      #expect((instructions["predict"] as? Int ?? 0) > 0)
      #expect(instructions["steps"] as? [Int] == [10, 110])
    }
  }

  @Test func textShowsTheTableAndTheFormula() throws {
    let result = try CLIRunner.run([
      "bench", Self.model, "--steps", "20", "--runs", "2", "--math", "exact", "--cflags", "-O2", "--no-instructions",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("4*8*(8+8) = 512 multiply-adds per step"))
    #expect(result.stdout.contains("ns/step median"))
    for label in ["step", "predict", "interpreter"] {
      #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix(label + " ") }, "\(label)")
    }
    #expect(result.stdout.contains("--math exact"))
  }

  @Test func aModelWithoutStepIsTimedWithPredictOnly() throws {
    let result = try CLIRunner.run([
      "bench", "Fixtures/keras/k2_masking_bidi.h5", "--steps", "16", "--runs", "2", "--no-instructions", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try Self.object(result.stdout)
    #expect(report["streams"] as? Bool == false)
    #expect(report["step"] is NSNull)
    #expect((report["ratio"] as? [String: Any])?["step"] is NSNull)
    _ = try Self.checkTiming(report["predict"], steps: 16, runs: 2)
    #expect((report["notes"] as? [String])?.contains { $0.contains("only predict is timed") } == true)
    // Two directions of one Bidirectional layer.
    let floor = try #require(report["floor"] as? [String: Any])
    #expect((floor["terms"] as? [Any])?.count == 2)
  }

  /// Models whose functions take extra parameters (ONNX initial states, NULL: zeros; with constant
  /// per-sample tables, a sample index) or whose input fixes the batch (Keras stateful, a static
  /// torch export): the interpreter then runs the whole batch.
  @Test(arguments: [
    "Fixtures/onnx/h_bidi_op22.onnx", "Fixtures/onnx/h_layout1_bidi_peep.onnx", "Fixtures/keras/k2_stateful.h5",
    "Fixtures/onnx/torch_l1_bf_static.onnx",
  ])
  func modelsWithExtraParametersOrAFixedBatchAreTimed(model: String) throws {
    let result = try CLIRunner.run(["bench", model, "--steps", "16", "--runs", "2", "--no-instructions", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try Self.object(result.stdout)
    _ = try Self.checkTiming(report["predict"], steps: 16, runs: 2)
  }

  @Test(arguments: ["lstm_8x8", "lstm_16x32", "lstm_32x64", "lstm_64x128", "gru_32x64"])
  func benchModelsVerifyAgainstTheirFixtures(stem: String) throws {
    let result = try CLIRunner.run([
      "verify", "Fixtures/bench/\(stem).h5", "--fixture", "Fixtures/bench/\(stem).fixture.json",
    ])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }

  /// The GRU benchmark model: its floor is 3*H*(I+H), and `step` and `predict` are timed.
  @Test func aGRUIsTimedAgainstThreeGateBlocks() throws {
    let result = try CLIRunner.run([
      "bench", "Fixtures/bench/gru_32x64.h5", "--steps", "16", "--runs", "2", "--no-instructions", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try Self.object(result.stdout)
    let floor = try #require(report["floor"] as? [String: Any])
    #expect(floor["mac_per_step"] as? Int == 3 * 64 * (32 + 64))
    #expect(floor["worked"] as? String == "3*64*(32+64) = 18432 multiply-adds per step")
    let terms = try #require(floor["terms"] as? [[String: Any]])
    #expect(terms.count == 1 && terms[0]["cell"] as? String == "GRU" && terms[0]["gates"] as? Int == 3)
    _ = try Self.checkTiming(report["step"], steps: 16, runs: 2)
    _ = try Self.checkTiming(report["predict"], steps: 16, runs: 2)
  }

  @Test func aBadModelExitsWith2() throws {
    let result = try CLIRunner.run(["bench", "Fixtures/bad/random.bin", "--steps", "5"])
    #expect(result.status == 2)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1)
    #expect(lines.first?.hasPrefix("lstmc: error: Fixtures/bad/random.bin: ") == true)
  }

  @Test func aMissingCompilerIsNamed() throws {
    let result = try CLIRunner.run(
      ["bench", Self.model, "--steps", "5", "--no-instructions"], environment: ["CC": "/nonexistent/lstmc-cc"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("/nonexistent/lstmc-cc not found"))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test(arguments: [
    ["bench", Self.model, "--steps", "0"],
    ["bench", Self.model, "--math", "approximate"],
    ["bench", Self.model, "--runs", "0"],
    ["bench", Self.model, "--target", "c-cortex-m0"],
    ["bench", Self.model, "--target", "c-cortex-m4", "--cflags", "-O3"],
    ["bench", Self.model, "--target", "swift-cortex-m4", "--steps", "100"],
    ["bench", Self.model, "--target", "c-cortex-m4", "--target-core", "m4"],
    ["bench", Self.model, "--target", "swift-cortex-m4", "--target-core", "generic"],
    ["bench", Self.model, "--frobnicate"],
    ["bench"],
  ])
  func badArgumentsExitWith64(arguments: [String]) throws {
    let result = try CLIRunner.run(arguments)
    #expect(result.status == 64, "\(result.stderr)")
  }

  /// Whether qemu and the Arm toolchain are installed (`.ci/run` installs them).
  static let hasCortexMTools = ["qemu-system-arm", "arm-none-eabi-gcc"].allSatisfy { tool in
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
      FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
    }
  }

  @Test(.enabled(if: hasCortexMTools || ProcessInfo.processInfo.environment["LSTMC_REQUIRE_CORTEX_M"] == "1"))
  func aCortexMBenchCountsInstructions() throws {
    let result = try CLIRunner.run(["bench", Self.model, "--target", "c-cortex-m3", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try Self.object(result.stdout)
    #expect(
      Set(report.keys) == [
        "model", "target", "method", "compiler", "cflags", "math", "streams", "floor", "instructions",
        "instructions_per_mac", "instructions_per_mac_by_mode", "memory", "notes", "target_core",
      ])
    #expect(report["target"] as? String == "c-cortex-m3")
    #expect(report["target_core"] as? String == "cortex-m3", "the core's own layout by default")
    let floor = try #require(report["floor"] as? [String: Any])
    #expect(floor["mac_per_step"] as? Int == 512)
    let instructions = try #require(report["instructions"] as? [String: Any])
    let step = try #require(instructions["step"] as? Double)
    let predict = try #require(instructions["predict"] as? Double)
    #expect(step > 512 && predict > 512)
    let perMAC = try #require(report["instructions_per_mac"] as? Double)
    #expect(abs(perMAC - step / 512) < 1e-9)

    #expect(instructions.keys.contains("step_q") && instructions["step_q"] is NSNull, "a float model has no step_q")

    // A quantized model: its integer API is counted too, in the text report.
    let folder = try CLIRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let quantized = folder.appendingPathComponent("q.safetensors").path
    let quantize = try CLIRunner.run([
      "quantize", Self.model, "--calibrate", "Fixtures/bench/lstm_8x8.fixture.json", "-o", quantized,
    ])
    #expect(quantize.status == 0, "\(quantize.stderr)")
    let text = try CLIRunner.run(["bench", quantized, "--target", "c-cortex-m3"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("instructions/step") && text.stdout.contains("per multiply-add"))
    func count(_ row: String) -> Double? {
      text.stdout.split(separator: "\n").first { $0.hasPrefix(row + " ") }
        .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Double($0) }
    }
    let floatAPI = try #require(count("step"), "\(text.stdout)")
    let integerAPI = try #require(count("step_q"), "\(text.stdout)")
    #expect(count("predict_q") != nil, "\(text.stdout)")
    // On the soft-float M3 the float API's quantize and dequantize cost more than the model itself.
    #expect(integerAPI > 512 && integerAPI < floatAPI, "\(text.stdout)")
  }
}
