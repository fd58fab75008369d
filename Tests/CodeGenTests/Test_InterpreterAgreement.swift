import CanonicalModel
import CodeGen
import Foundation
import Testing

/// Canonical options no Keras fixture covers (peepholes, clip, coupled gates, ONNX-order backward
/// layers, zero_output_for_mask on a plain LSTM, softmax as a gate activation, outputs of inner
/// layers, ...): the generated C must compute what lstmc's interpreter computes.
@Suite struct Test_InterpreterAgreement {
  struct Scenario: CustomStringConvertible, Sendable {
    var name: String
    var model: Model
    var input: Tensor
    var description: String { name }
  }

  static let maskedSteps = [(0, 0), (0, 3), (1, 6), (2, 2), (2, 3)]

  static let scenarios: [Scenario] = {
    var b = ModelBuilder(seed: 42)
    var scenarios: [Scenario] = []
    func add(
      _ name: String, _ layers: [(String, LayerKind)], _ outputs: [ModelOutput], input: Tensor, index: Bool = false
    ) {
      let features = index ? 1 : input.shape[2]
      scenarios.append(
        Scenario(
          name: name,
          model: ModelBuilder.model(
            features: features, layers: layers.map { Layer(name: $0.0, kind: $0.1) }, outputs: outputs, index: index),
          input: input))
    }
    add(
      "peepholes_clip",
      [
        ("lstm", .lstm(b.lstm(input: 3, hidden: 4, returnSequences: true, clip: 0.8, peepholes: true))),
        ("dense", .dense(b.dense(input: 4, units: 2))),
      ], [ModelOutput(name: "dense", layer: 1)], input: b.input(batch: 3, steps: 7, features: 3))
    add(
      "coupled_no_bias_states",
      [("lstm", .lstm(b.lstm(input: 3, hidden: 5, returnSequences: false, usesBias: false, coupled: true)))],
      [
        ModelOutput(name: "out", layer: 0), ModelOutput(name: "h", layer: 0, port: .hiddenState(.forward)),
        ModelOutput(name: "c", layer: 0, port: .cellState(.forward)),
      ], input: b.input(batch: 3, steps: 7, features: 3))
    add(
      "backward_input_order",
      [
        ("back", .lstm(b.lstm(input: 3, hidden: 4, direction: .backward, outputOrder: .input, returnSequences: true))),
        ("fwd", .lstm(b.lstm(input: 4, hidden: 3, returnSequences: false))),
      ],
      [
        ModelOutput(name: "back", layer: 0), ModelOutput(name: "fwd", layer: 1),
        ModelOutput(name: "back_c", layer: 0, port: .cellState(.backward)),
      ], input: b.input(batch: 3, steps: 7, features: 3))
    add(
      "backward_processing_masked",
      [
        ("mask", .masking(MaskingLayer(maskValue: 0))),
        ("back", .lstm(b.lstm(input: 3, hidden: 4, direction: .backward, returnSequences: true))),
        ("fwd", .lstm(b.lstm(input: 4, hidden: 3, returnSequences: false))),
      ], [ModelOutput(name: "back", layer: 1), ModelOutput(name: "fwd", layer: 2)],
      input: b.input(batch: 3, steps: 7, features: 3, maskedSteps: maskedSteps))
    add(
      "zero_output_for_mask_streaming",
      [
        ("mask", .masking(MaskingLayer(maskValue: -1))),
        ("lstm", .lstm(b.lstm(input: 3, hidden: 4, returnSequences: true, zeroOutputForMask: true))),
        ("td", .timeDistributedDense(b.dense(input: 4, units: 3, activation: .softsign))),
        ("last", .lstm(b.lstm(input: 3, hidden: 2, returnSequences: false))),
      ],
      [
        ModelOutput(name: "td", layer: 2), ModelOutput(name: "last", layer: 3),
        ModelOutput(name: "h", layer: 1, port: .hiddenState(.forward)),
      ], input: b.input(batch: 3, steps: 7, features: 3, maskedSteps: maskedSteps + [(1, 0)], maskValue: -1))
    add(
      "softmax_gate_hard_sigmoid_gelu_tanh",
      [
        (
          "lstm",
          .lstm(
            b.lstm(
              input: 3, hidden: 4, returnSequences: true,
              activations: LSTMActivations(
                gate: .softmax, cell: .hardSigmoid(slope: 0.3, offset: 0.4), hidden: .gelu(approximate: true))))
        ),
        ("softmax", .activation(.softmax)),
      ], [ModelOutput(name: "softmax", layer: 1)], input: b.input(batch: 2, steps: 6, features: 3))
    add(
      "bidirectional_sum_last_states",
      [
        (
          "bi",
          .bidirectional(
            BidirectionalLayer(
              forward: b.lstm(input: 3, hidden: 4, returnSequences: false),
              backward: b.lstm(input: 3, hidden: 4, direction: .backward, outputOrder: .input, returnSequences: false),
              mergeMode: .sum))
        ),
        ("dense", .dense(b.dense(input: 4, units: 3, activation: .relu))),
      ],
      [
        ModelOutput(name: "dense", layer: 1), ModelOutput(name: "hf", layer: 0, port: .hiddenState(.forward)),
        ModelOutput(name: "cb", layer: 0, port: .cellState(.backward)), ModelOutput(name: "bi", layer: 0),
      ], input: b.input(batch: 3, steps: 7, features: 3))
    add(
      "bidirectional_mul_then_ave_masked",
      [
        ("mask", .masking(MaskingLayer(maskValue: 0))),
        (
          "bi_mul",
          .bidirectional(
            BidirectionalLayer(
              forward: b.lstm(input: 3, hidden: 3, returnSequences: true, zeroOutputForMask: true),
              backward: b.lstm(
                input: 3, hidden: 3, direction: .backward, outputOrder: .input, returnSequences: true,
                zeroOutputForMask: true),
              mergeMode: .mul))
        ),
        (
          "bi_ave",
          .bidirectional(
            BidirectionalLayer(
              forward: b.lstm(input: 3, hidden: 2, returnSequences: false),
              backward: b.lstm(input: 3, hidden: 2, direction: .backward, outputOrder: .input, returnSequences: false),
              mergeMode: .ave))
        ),
      ], [ModelOutput(name: "bi_mul", layer: 1), ModelOutput(name: "bi_ave", layer: 2)],
      input: b.input(batch: 3, steps: 7, features: 3, maskedSteps: maskedSteps))
    add(
      "dense_and_activations_only",
      [
        ("act", .activation(.tanh)),
        ("dense", .dense(b.dense(input: 3, units: 4, activation: .elu(alpha: 0.7), bias: false))),
        ("selu", .activation(.selu)), ("lin", .activation(.linear)),
      ], [ModelOutput(name: "lin", layer: 3), ModelOutput(name: "act", layer: 0)],
      input: b.input(batch: 2, steps: 5, features: 3))
    add(
      "inner_outputs",
      [
        ("l0", .lstm(b.lstm(input: 3, hidden: 4, returnSequences: true))),
        ("d1", .timeDistributedDense(b.dense(input: 4, units: 5, activation: .swish))),
        (
          "l2",
          .lstm(
            b.lstm(
              input: 5, hidden: 3, returnSequences: false,
              activations: LSTMActivations(
                gate: .hardSigmoid(slope: 0.2, offset: 0.5), cell: .softplus, hidden: .gelu(approximate: false))))
        ),
        ("d3", .dense(b.dense(input: 3, units: 2, activation: .softmax))),
        ("a4", .activation(.sigmoid)),
      ],
      [
        ModelOutput(name: "l0", layer: 0), ModelOutput(name: "d1", layer: 1), ModelOutput(name: "l2", layer: 2),
        ModelOutput(name: "a4", layer: 4), ModelOutput(name: "l2_c", layer: 2, port: .cellState(.forward)),
      ], input: b.input(batch: 2, steps: 6, features: 3))
    let table = b.tensor([6, 3])
    let indices = Tensor(shape: [3, 7], data: [1, 2, 0, 5, 3, 0, 4, 0, 0, 1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 0, 0])
    add(
      "embedding_mask_zero_bidirectional",
      [
        ("emb", .embedding(EmbeddingLayer(table: table, maskZero: true))),
        ("back", .lstm(b.lstm(input: 3, hidden: 4, direction: .backward, returnSequences: true))),
        ("mask", .masking(MaskingLayer(maskValue: 0))),
        ("fwd", .lstm(b.lstm(input: 4, hidden: 2, returnSequences: false))),
      ], [ModelOutput(name: "fwd", layer: 3), ModelOutput(name: "back", layer: 1)], input: indices, index: true)
    add(
      "embedding_streaming",
      [
        ("emb", .embedding(EmbeddingLayer(table: table, maskZero: true))),
        ("act", .activation(.relu)),
        ("fwd", .lstm(b.lstm(input: 3, hidden: 4, returnSequences: true))),
      ], [ModelOutput(name: "fwd", layer: 2), ModelOutput(name: "emb", layer: 0)], input: indices, index: true)
    // PyTorch's y[:, -1]: the last step by position, masked or not, kept step by step when streaming.
    add(
      "last_time_step_streaming",
      [
        ("mask", .masking(MaskingLayer(maskValue: -1))),
        ("lstm", .lstm(b.lstm(input: 3, hidden: 4, returnSequences: true))),
        ("td", .timeDistributedDense(b.dense(input: 4, units: 3))),
        ("last", .lastTimeStep),
        ("head", .dense(b.dense(input: 3, units: 2, activation: .leakyRelu(alpha: 0.1)))),
      ], [ModelOutput(name: "head", layer: 4), ModelOutput(name: "td", layer: 2)],
      input: b.input(batch: 3, steps: 7, features: 3, maskedSteps: [(0, 6), (2, 1)], maskValue: -1))
    add(
      "last_time_step_backward",
      [
        ("back", .lstm(b.lstm(input: 3, hidden: 4, direction: .backward, outputOrder: .input, returnSequences: true))),
        ("last", .lastTimeStep),
        ("head", .dense(b.dense(input: 4, units: 2, activation: .scaledTanh(alpha: 1.5, beta: 0.5)))),
      ], [ModelOutput(name: "head", layer: 2), ModelOutput(name: "last", layer: 1)],
      input: b.input(batch: 3, steps: 7, features: 3))
    return scenarios
  }()

  @Test(arguments: scenarios)
  func generatedCodeMatchesTheInterpreter(scenario: Scenario) throws {
    let folder = try TemporaryFolder()
    let expected = try LSTMCBinary.interpret(scenario.model, inputs: [scenario.input], in: folder.url)
    try #require(expected.count == scenario.model.outputs.count)
    let testCase = CTestCase(name: scenario.name, inputs: [scenario.input], expected: expected, tolerance: (1e-5, 1e-4))
    for math in MathMode.allCases {
      let result = try GeneratedProgram.run(
        scenario.model, testCases: [testCase], options: CGenerationOptions(name: "m", maxSteps: 16, math: math))
      #expect(result.status == 0, "\(math):\n\(result.output)\(result.error)")
      #expect(result.output.contains("result PASS"))
      if CCodeGenerator.canStream(scenario.model) { #expect(result.output.contains("streaming PASS")) }
    }
  }

  @Test func theScenariosCoverBothPaths() {
    #expect(Self.scenarios.contains { CCodeGenerator.canStream($0.model) })
    #expect(Self.scenarios.contains { !CCodeGenerator.canStream($0.model) })
  }
}
