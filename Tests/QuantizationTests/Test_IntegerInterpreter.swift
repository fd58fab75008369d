import CanonicalModel
import Foundation
import Interpreter
import Testing

@testable import Quantization

/// Quantized models against their float originals on held-out data, the archive
/// round trip of a quantized model, and the refusals.
@Suite struct IntegerInterpreterTests {
  static func quantized(
    _ model: Model, scheme: QuantizationScheme = .int8x8_16, granularity: WeightGranularity = .perChannel,
    features: Int
  ) throws -> Model {
    let calibration = try Calibration.record(
      model, batches: QuantizationModels.batches(count: 8, features: features, seed: 21))
    return try Quantizer(scheme: scheme, granularity: granularity).quantize(model, calibration: calibration)
  }

  /// Per output, the integer reference's error against the float interpreter on held-out data.
  static func statistics(_ model: Model, _ quantized: Model, features: Int) throws -> [ErrorStatistics] {
    let float = try Interpreter(model: model)
    let integer = try IntegerInterpreter(model: quantized)
    var statistics = model.outputs.map { ErrorStatistics(name: $0.name) }
    for inputs in QuantizationModels.batches(count: 4, features: features, seed: 99) {
      let expected = try float.run(inputs)
      let actual = try integer.run(inputs)
      for index in statistics.indices {
        #expect(expected[index].shape == actual[index].shape)
        statistics[index].add(expected: expected[index].data, actual: actual[index].data, shape: expected[index].shape)
      }
    }
    return statistics
  }

  /// Max abs and RMS error of the integer reference against the float interpreter, per output.
  static func errors(_ model: Model, _ quantized: Model, features: Int) throws -> [(maxAbs: Float, rms: Float)] {
    let float = try Interpreter(model: model)
    let integer = try IntegerInterpreter(model: quantized)
    var worst: [(maxAbs: Float, rms: Float)] = []
    for inputs in QuantizationModels.batches(count: 4, features: features, seed: 99) {
      let expected = try float.run(inputs)
      let actual = try integer.run(inputs)
      for (index, (e, a)) in zip(expected, actual).enumerated() {
        #expect(e.shape == a.shape)
        let differences = zip(e.data, a.data).map { abs($0 - $1) }
        let maxAbs = differences.max() ?? 0
        let rms = (differences.reduce(0) { $0 + $1 * $1 } / Float(max(differences.count, 1))).squareRoot()
        if worst.count <= index { worst.append((0, 0)) }
        worst[index] = (max(worst[index].maxAbs, maxAbs), max(worst[index].rms, rms))
      }
    }
    return worst
  }

  /// The classifier's largest probability error allowed.
  static let classifierBound: Float = 0.012

  @Test(arguments: WeightGranularity.allCases)
  func classifierFollowsTheFloatModel(granularity: WeightGranularity) throws {
    let model = QuantizationModels.classifier()
    let quantized = try Self.quantized(model, granularity: granularity, features: 5)
    let errors = try Self.errors(model, quantized, features: 5)
    // Measured: max abs 0.0035 (per channel) and 0.0025 (per tensor), RMS 0.0012: about one int8 step.
    #expect(errors[0].maxAbs < Self.classifierBound, "probabilities: \(errors[0])")
    #expect(errors[0].rms < 0.004, "probabilities: \(errors[0])")
  }

  @Test(arguments: WeightGranularity.allCases)
  func stackFollowsTheFloatModel(granularity: WeightGranularity) throws {
    let model = QuantizationModels.stack()
    let quantized = try Self.quantized(model, granularity: granularity, features: 4)
    let errors = try Self.errors(model, quantized, features: 4)
    for (name, error) in zip(["y", "h", "c"], errors) {
      // Measured: max abs 0.0039 (y, h) and 0.0077 (c), RMS 0.0015 to 0.0028.
      #expect(error.maxAbs < 0.02, "\(name): \(error)")
      #expect(error.rms < 0.006, "\(name): \(error)")
    }
  }

  /// A wrong gate, scale or shift anywhere would put the error far above the bounds above;
  /// check that the bounds can fail by breaking one multiplier.
  @Test func aBrokenMultiplierIsCaught() throws {
    let model = QuantizationModels.classifier()
    var quantized = try Self.quantized(model, features: 5)
    var gate = quantized.quantization!.layers[0].directions[0].gates["forget"]!
    gate.recurrent.shifts.data = gate.recurrent.shifts.data.map { $0 + 1 }
    quantized.quantization!.layers[0].directions[0].gates["forget"] = gate
    let errors = try Self.errors(model, quantized, features: 5)
    #expect(errors[0].maxAbs > Self.classifierBound)
  }

  @Test func archiveRoundTripIsBitExact() throws {
    let quantized = try Self.quantized(QuantizationModels.stack(), features: 4)
    let data = try ModelArchive.encode(quantized)
    let decoded = try ModelArchive.decode(data)
    #expect(decoded == quantized)
    #expect(try ModelArchive.encode(decoded) == data)
    let file = try SafetensorsFile(data: data)
    #expect(file.metadata["quantization"] != nil)
    #expect(file.integerTensor(named: "layers.0.backward.forget.W_q")?.elementType == .int8)
    #expect(file.integerTensor(named: "layers.2.kernel_bias")?.elementType == .int32)
    // And the integer reference gives the same integers after the round trip.
    let input = QuantizationModels.batches(count: 1, features: 4, seed: 5)[0]
    #expect(try IntegerInterpreter(model: decoded).run(input) == IntegerInterpreter(model: quantized).run(input))
  }

  /// One byte per weight, and 12 bytes (bias, multiplier, shift) per row of each matrix per channel
  /// (4 per row plus 8 per matrix per tensor).
  @Test(arguments: WeightGranularity.allCases)
  func byteCountIsWeightsPlusRowTerms(granularity: WeightGranularity) throws {
    let model = QuantizationModels.classifier()
    let quantized = try Self.quantized(model, granularity: granularity, features: 5)
    let weights = 4 * (8 * 5 + 8 * 8) + 4 * 8
    let matrices = 4 * 2 + 1
    let rows = 4 * 2 * 8 + 4
    let expected = weights + (granularity == .perChannel ? 12 * rows : 4 * rows + 8 * matrices)
    #expect(quantized.quantization!.byteCount == expected)
  }

  @Test func refusesWhatItCannotRunWithOneLineNamingTheLayer() throws {
    var model = QuantizationModels.classifier()
    model.layers[1].kind = .dense(
      DenseLayer(kernel: Tensor(shape: [4, 8], repeating: 0.1), bias: nil, activation: .softsign))
    #expect(
      throws: QuantizationError.unsupported(
        layer: "head",
        reason: "activation softsign has no integer form yet; supported: linear, relu, and softmax on the last layer")
    ) {
      try Quantizer().checkSupported(model)
    }
    var gru = QuantizationModels.gru(input: 5, hidden: 8, returnSequences: false, seed: 1)
    gru.activations = GRUActivations(gate: .softsign, candidate: .tanh)
    var gruModel = QuantizationModels.classifier()
    gruModel.layers[0] = Layer(name: "gru", kind: .gru(gru))
    for scheme in QuantizationScheme.allCases {
      #expect(
        throws: QuantizationError.unsupported(
          layer: "gru",
          reason: "GRU activations softsign/tanh have no integer form; supported: sigmoid or hard_sigmoid/tanh")
      ) {
        try Quantizer(scheme: scheme).checkSupported(gruModel)
      }
    }
    #expect(throws: QuantizationError.notQuantized) { try IntegerInterpreter(model: QuantizationModels.classifier()) }
  }
}
