import CanonicalModel
import CodeGen
import Foundation
import Testing

/// Generated C and Swift for GRU models against lstmc's interpreter (itself checked against the
/// GRU formulas in `InterpreterTests` and against Keras and ONNX Runtime by the fixtures): both
/// reset modes, every Bidirectional merge mode, backward layers in both output orders, masking,
/// initial states (inputs and constants), sequence lengths (input and constant), clip,
/// activations other than sigmoid and tanh, no bias, and stacks that mix LSTM and GRU layers.
/// Weights differ per gate and every candidate recurrent bias `bU` is non-zero; batch 3, 9 steps,
/// input size different from the hidden sizes.
@Suite struct Test_GRUGeneration {
  struct Scenario: CustomStringConvertible, Sendable {
    var name: String
    var model: Model
    /// The model's inputs, in its order (the sequence first).
    var inputs: [Tensor]
    var description: String { name }
  }

  static let batch = 3
  static let steps = 9
  static let maskedSteps = [(0, 0), (0, 4), (1, 7), (2, 2), (2, 3)]

  static let scenarios: [Scenario] = {
    var b = ModelBuilder(seed: 10)
    var scenarios: [Scenario] = []
    func add(
      _ name: String, _ layers: [(String, LayerKind)], _ outputs: [ModelOutput], input: Tensor,
      extraInputs: [(ModelInput, Tensor)] = []
    ) {
      var model = ModelBuilder.model(
        features: input.shape[2], layers: layers.map { Layer(name: $0.0, kind: $0.1) }, outputs: outputs)
      model.inputs += extraInputs.map(\.0)
      scenarios.append(Scenario(name: name, model: model, inputs: [input] + extraInputs.map(\.1)))
    }
    func input(masked: [(Int, Int)] = [], value: Float = 0) -> Tensor {
      b.input(batch: batch, steps: steps, features: 3, maskedSteps: masked, maskValue: value)
    }

    add(
      "stack_streaming_clip",
      [
        ("gru_after", .gru(b.gru(input: 3, hidden: 5, returnSequences: true, clip: 0.9))),
        ("td", .timeDistributedDense(b.dense(input: 5, units: 4, activation: .tanh))),
        ("gru_before", .gru(b.gru(input: 4, hidden: 6, returnSequences: false, resetAfter: false, clip: 1.2))),
        ("dense", .dense(b.dense(input: 6, units: 2))),
      ],
      [
        ModelOutput(name: "dense", layer: 3), ModelOutput(name: "gru_after", layer: 0),
        ModelOutput(name: "h", layer: 2, port: .hiddenState(.forward)),
      ], input: input())
    add(
      "masked_zero_output_then_lstm",
      [
        ("mask", .masking(MaskingLayer(maskValue: -1))),
        ("gru", .gru(b.gru(input: 3, hidden: 4, returnSequences: true, resetAfter: false, zeroOutputForMask: true))),
        ("lstm", .lstm(b.lstm(input: 4, hidden: 5, returnSequences: true))),
        ("gru_last", .gru(b.gru(input: 5, hidden: 3, returnSequences: true))),
      ],
      [
        ModelOutput(name: "gru", layer: 1), ModelOutput(name: "gru_last", layer: 3),
        ModelOutput(name: "lstm_c", layer: 2, port: .cellState(.forward)),
        ModelOutput(name: "gru_h", layer: 1, port: .hiddenState(.forward)),
      ], input: input(masked: maskedSteps + [(1, 0)], value: -1))
    add(
      "activations_no_bias",
      [
        (
          "hard_softsign",
          .gru(
            b.gru(
              input: 3, hidden: 4, returnSequences: true,
              activations: GRUActivations(gate: .hardSigmoid(slope: 0.2, offset: 0.5), candidate: .softsign),
              usesBias: false))
        ),
        (
          "softmax_linear",
          .gru(
            b.gru(
              input: 4, hidden: 5, returnSequences: true,
              activations: GRUActivations(gate: .softmax, candidate: .linear),
              resetAfter: false))
        ),
        (
          "sigmoid_gelu",
          .gru(
            b.gru(
              input: 5, hidden: 2, returnSequences: false,
              activations: GRUActivations(gate: .sigmoid, candidate: .gelu(approximate: true))))
        ),
      ], [ModelOutput(name: "softmax_linear", layer: 1), ModelOutput(name: "sigmoid_gelu", layer: 2)], input: input())
    add(
      "backward_input_order",
      [
        (
          "back",
          .gru(
            b.gru(
              input: 3, hidden: 4, direction: .backward, outputOrder: .input, returnSequences: true, resetAfter: false))
        ),
        ("fwd", .gru(b.gru(input: 4, hidden: 3, returnSequences: false))),
      ],
      [
        ModelOutput(name: "back", layer: 0), ModelOutput(name: "fwd", layer: 1),
        ModelOutput(name: "back_h", layer: 0, port: .hiddenState(.backward)),
      ], input: input())
    add(
      "backward_processing_masked",
      [
        ("mask", .masking(MaskingLayer(maskValue: 0))),
        ("back", .gru(b.gru(input: 3, hidden: 4, direction: .backward, returnSequences: true))),
        ("fwd", .gru(b.gru(input: 4, hidden: 3, returnSequences: false, resetAfter: false))),
      ], [ModelOutput(name: "back", layer: 1), ModelOutput(name: "fwd", layer: 2)], input: input(masked: maskedSteps))
    add(
      "bidirectional_concat_then_sum_masked",
      [
        ("mask", .masking(MaskingLayer(maskValue: 0))),
        (
          "bi_concat",
          .bidirectional(
            BidirectionalLayer(
              forward: b.gru(input: 3, hidden: 4, returnSequences: true, zeroOutputForMask: true),
              backward: b.gru(
                input: 3, hidden: 4, direction: .backward, outputOrder: .input, returnSequences: true,
                resetAfter: false, zeroOutputForMask: true),
              mergeMode: .concat))
        ),
        (
          "bi_sum",
          .bidirectional(
            BidirectionalLayer(
              forward: b.gru(input: 8, hidden: 3, returnSequences: false, resetAfter: false),
              backward: b.gru(input: 8, hidden: 3, direction: .backward, outputOrder: .input, returnSequences: false),
              mergeMode: .sum))
        ),
      ],
      [
        ModelOutput(name: "bi_concat", layer: 1), ModelOutput(name: "bi_sum", layer: 2),
        ModelOutput(name: "h_sum", layer: 2, port: .hiddenStates),
      ], input: input(masked: maskedSteps))
    add(
      "bidirectional_mul_ave_and_lstm",
      [
        (
          "bi_mul",
          .bidirectional(
            BidirectionalLayer(
              forward: b.gru(input: 3, hidden: 4, returnSequences: true, clip: 0.8),
              backward: b.gru(
                input: 3, hidden: 4, direction: .backward, outputOrder: .input, returnSequences: true, clip: 0.8),
              mergeMode: .mul))
        ),
        (
          "bi_ave",
          .bidirectional(
            BidirectionalLayer(
              forward: b.gru(input: 4, hidden: 5, returnSequences: true, resetAfter: false),
              backward: b.gru(
                input: 4, hidden: 5, direction: .backward, outputOrder: .input, returnSequences: true,
                resetAfter: false),
              mergeMode: .ave))
        ),
        (
          "bi_lstm",
          .bidirectional(
            BidirectionalLayer(
              forward: b.lstm(input: 5, hidden: 2, returnSequences: false),
              backward: b.lstm(input: 5, hidden: 2, direction: .backward, outputOrder: .input, returnSequences: false),
              mergeMode: .concat))
        ),
      ],
      [
        ModelOutput(name: "bi_mul", layer: 0), ModelOutput(name: "bi_lstm", layer: 2),
        ModelOutput(name: "hb_ave", layer: 1, port: .hiddenState(.backward)),
      ], input: input())
    // One initial-state input feeding a GRU and an LSTM, the LSTM's c from another, and lengths.
    let h0 = b.tensor([batch, 4 + 3])
    let c0 = b.tensor([batch, 3])
    let lengths = Tensor(shape: [batch], data: [9, 5, 7])
    add(
      "initial_state_inputs_and_lengths",
      [
        ("gru", .gru(b.gru(input: 3, hidden: 4, returnSequences: true, zeroOutputForMask: true))),
        ("lstm", .lstm(b.lstm(input: 4, hidden: 3, returnSequences: true, zeroOutputForMask: true))),
      ],
      [
        ModelOutput(name: "lstm", layer: 1), ModelOutput(name: "gru", layer: 0),
        ModelOutput(name: "h", layer: 0, port: .hiddenStates, concatenatedLayers: [0, 1]),
      ], input: input(),
      extraInputs: [
        (
          ModelInput(name: "h0", elementType: .float32, shape: [nil, 7], role: .initialHiddenStates(layers: [0, 1])), h0
        ),
        (ModelInput(name: "c0", elementType: .float32, shape: [nil, 3], role: .initialCellState(layer: 1)), c0),
        (ModelInput(name: "lengths", elementType: .int32, shape: [nil], role: .sequenceLengths), lengths),
      ])
    // Constant initial states per sample and constant lengths (ONNX initializers): the functions take a sample.
    var forward = b.gru(input: 3, hidden: 4, returnSequences: true, resetAfter: false)
    var backward = b.gru(input: 3, hidden: 4, direction: .backward, outputOrder: .input, returnSequences: true)
    forward.initialHidden = b.tensor([batch, 4])
    backward.initialHidden = b.tensor([batch, 4])
    forward.sequenceLengths = Tensor(shape: [batch], data: [9, 6, 4])
    backward.sequenceLengths = forward.sequenceLengths
    forward.zeroOutputForMask = true
    backward.zeroOutputForMask = true
    add(
      "bidirectional_constant_states_and_lengths",
      [("bi", .bidirectional(BidirectionalLayer(forward: forward, backward: backward, mergeMode: .concat)))],
      [ModelOutput(name: "bi", layer: 0), ModelOutput(name: "h", layer: 0, port: .hiddenStates)], input: input())
    return scenarios
  }()

  /// The interpreter's outputs for a scenario, as a test case the generated programs check.
  static func testCase(_ scenario: Scenario, in folder: URL) throws -> CTestCase {
    let expected = try LSTMCBinary.interpret(scenario.model, inputs: scenario.inputs, in: folder)
    try #require(expected.count == scenario.model.outputs.count)
    return CTestCase(name: scenario.name, inputs: scenario.inputs, expected: expected, tolerance: (1e-5, 1e-4))
  }

  @Test(arguments: scenarios)
  func generatedCMatchesTheInterpreter(scenario: Scenario) throws {
    let folder = try TemporaryFolder()
    let testCase = try Self.testCase(scenario, in: folder.url)
    var compilers = [("cc", ["-O1"])]
    if let clang = Host.clang { compilers.append((clang, ["-O2"])) }
    for math in MathMode.allCases {
      for (compiler, flags) in compilers {
        let result = try GeneratedProgram.run(
          scenario.model, testCases: [testCase], options: CGenerationOptions(name: "m", maxSteps: 16, math: math),
          compiler: compiler, flags: flags)
        #expect(result.status == 0, "\(compiler) \(math):\n\(result.output)\(result.error)")
        #expect(result.output.contains("result PASS"))
        if CCodeGenerator.canStream(scenario.model) { #expect(result.output.contains("streaming PASS")) }
      }
    }
  }

  @Test(arguments: scenarios)
  func generatedSwiftMatchesTheInterpreter(scenario: Scenario) throws {
    guard let swiftc = Test_SwiftGoldens.swiftc else { return }
    let folder = try TemporaryFolder()
    let testCase = try Self.testCase(scenario, in: folder.url)
    for math in MathMode.allCases {
      let build = try TemporaryFolder()
      try build.write(
        try SwiftCodeGenerator.generate(
          scenario.model, testCases: [testCase], options: CGenerationOptions(name: "m", maxSteps: 16, math: math)))
      let built = try Host.run(swiftc, ["-O", "m.swift", "main.swift", "-lm", "-o", "program"], in: build.url)
      try #require(built.status == 0, "\(math): \(built.error)")
      let result = try Host.run(build.url.appendingPathComponent("program").path, [], in: build.url)
      #expect(result.status == 0, "\(math):\n\(result.output)")
      #expect(result.output.contains("result PASS"))
    }
  }

  @Test(arguments: scenarios)
  func runsCleanUnderSanitizers(scenario: Scenario) throws {
    let folder = try TemporaryFolder()
    let testCase = try Self.testCase(scenario, in: folder.url)
    // Buffers exactly as long as the sequence, so an overrun by one step is caught.
    for math in MathMode.allCases {
      let result = try GeneratedProgram.run(
        scenario.model, testCases: [testCase], options: CGenerationOptions(name: "m", maxSteps: Self.steps, math: math),
        flags: ["-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"])
      #expect(result.status == 0, "\(math): \(result.output)\(result.error)")
      #expect(!result.error.contains("runtime error"))
    }
  }

  /// The tests above can fail: code generated for the model with its update and reset gates
  /// swapped, or with the other reset mode, or with `bU` folded into `b_n` fails every check.
  @Test(arguments: ["swap update and reset", "other reset mode", "bU folded into b_n"])
  func aWrongCellFails(mutation: String) throws {
    let scenario = Self.scenarios[0]
    let folder = try TemporaryFolder()
    let testCase = try Self.testCase(scenario, in: folder.url)
    var model = scenario.model
    for (index, layer) in model.layers.enumerated() {
      guard case .gru(var gru) = layer.kind else { continue }
      switch mutation {
      case "swap update and reset": swap(&gru.weights.update, &gru.weights.reset)
      case "other reset mode": gru.resetAfter.toggle()
      default:
        for j in 0..<gru.hiddenSize { gru.weights.candidate.b.data[j] += gru.weights.candidateRecurrentBias.data[j] }
        gru.weights.candidateRecurrentBias.data = [Float](repeating: 0, count: gru.hiddenSize)
      }
      model.layers[index].kind = .gru(gru)
    }
    let result = try GeneratedProgram.run(
      model, testCases: [testCase], options: CGenerationOptions(name: "m", maxSteps: 16))
    #expect(result.status != 0)
    #expect(result.output.contains("result FAIL"))
  }

  @Test func theScenariosCoverBothPathsAndBothResetModes() {
    #expect(Self.scenarios.contains { CCodeGenerator.canStream($0.model) })
    #expect(Self.scenarios.contains { !CCodeGenerator.canStream($0.model) })
    let grus = Self.scenarios.flatMap { $0.model.layers.flatMap(\.kind.recurrentDirections) }.compactMap(\.gru)
    #expect(grus.contains { $0.resetAfter } && grus.contains { !$0.resetAfter })
    #expect(grus.allSatisfy { $0.inputSize != $0.hiddenSize })
    #expect(grus.filter(\.usesBias).allSatisfy { $0.weights.candidateRecurrentBias.data.allSatisfy { $0 != 0 } })
  }
}
