import CanonicalModel
import Foundation
import Interpreter
import Testing

@testable import Quantization

/// A first Embedding (int32 indices in, the table quantized to the activation type) in both schemes.
@Suite struct IntegerEmbeddingTests {
  /// Embedding(11, 4) → LSTM(6) → Dense(3, softmax).
  static func model() -> Model {
    var numbers = QuantizationModels.Numbers(seed: 17)
    return Model(
      inputs: [ModelInput(name: "tokens", elementType: .int32, shape: [nil, nil])],
      layers: [
        Layer(
          name: "embed", kind: .embedding(EmbeddingLayer(table: numbers.tensor([11, 4], scale: 1.5), maskZero: false))),
        Layer(
          name: "lstm", kind: .lstm(QuantizationModels.lstm(input: 4, hidden: 6, returnSequences: false, seed: 18))),
        Layer(
          name: "head",
          kind: .dense(
            DenseLayer(kernel: numbers.tensor([3, 6]), bias: numbers.tensor([3], scale: 0.3), activation: .softmax))),
      ],
      outputs: [ModelOutput(name: "p", layer: 2)], source: QuantizationModels.source)
  }

  /// `count` batches of `[4, 10]` indices in 0..<11.
  static func batches(count: Int, seed: UInt64) -> [[Tensor]] {
    var numbers = QuantizationModels.Numbers(seed: seed)
    return (0..<count).map { _ in
      [Tensor(shape: [4, 10], data: (0..<40).map { _ in Float(Int((numbers.next() + 1) * 5.49)) })]
    }
  }

  static func quantized(_ scheme: QuantizationScheme) throws -> Model {
    let model = model()
    return try Quantizer(scheme: scheme).quantize(
      model, calibration: Calibration.record(model, batches: batches(count: 4, seed: 2)))
  }

  @Test(arguments: QuantizationScheme.allCases)
  func followsTheFloatModel(scheme: QuantizationScheme) throws {
    let model = Self.model()
    let quantized = try Self.quantized(scheme)
    let table = try #require(quantized.quantization?.layers[0].embedding)
    #expect(table.elementType == scheme.activationType)
    #expect(table.shape == [11, 4])
    let float = try Interpreter(model: model)
    let integer = try IntegerInterpreter(model: quantized)
    var statistics = ErrorStatistics(name: "p")
    for inputs in Self.batches(count: 4, seed: 77) {
      let expected = try float.run(inputs)[0]
      statistics.add(expected: expected.data, actual: try integer.run(inputs)[0].data, shape: expected.shape)
    }
    // Measured: 49.4 dB (int8x8_16) and 61.9 dB (int16x8_16).
    #expect(statistics.snrDecibels >= (scheme == .int8x8_16 ? 35 : 40), "\(statistics)")
    // Random weights leave near ties between classes: one row of 16 flips in both schemes.
    #expect((statistics.argmaxAgreement ?? 0) >= 0.9, "\(statistics)")
  }

  /// The bound can fail: a table quantized at the wrong scale (every code halved) breaks it.
  @Test func aBrokenTableIsCaught() throws {
    let model = Self.model()
    var quantized = try Self.quantized(.int16x8_16)
    let table = quantized.quantization!.layers[0].embedding!
    quantized.quantization!.layers[0].embedding = IntegerTensor(
      table.elementType, shape: table.shape, data: table.data.map { $0 / 2 })
    let inputs = Self.batches(count: 1, seed: 77)[0]
    var statistics = ErrorStatistics(name: "p")
    let expected = try Interpreter(model: model).run(inputs)[0]
    statistics.add(
      expected: expected.data, actual: try IntegerInterpreter(model: quantized).run(inputs)[0].data,
      shape: expected.shape)
    #expect(statistics.snrDecibels < 40, "\(statistics)")
  }

  @Test func archiveRoundTripIsBitExactAndBadIndicesAreRefused() throws {
    let quantized = try Self.quantized(.int8x8_16)
    let data = try ModelArchive.encode(quantized)
    let decoded = try ModelArchive.decode(data)
    #expect(decoded == quantized)
    #expect(try ModelArchive.encode(decoded) == data)
    #expect(try SafetensorsFile(data: data).integerTensor(named: "layers.0.table_q")?.elementType == .int8)
    let reference = try IntegerInterpreter(model: decoded)
    for bad: Float in [11, -1, 2.5, .nan] {
      var input = Self.batches(count: 1, seed: 3)[0][0]
      input.data[5] = bad
      #expect(throws: QuantizationError.self) { try reference.run([input]) }
    }
  }

  @Test func refusesMaskZeroAndALaterEmbedding() throws {
    var masked = Self.model()
    masked.layers[0].kind = .embedding(EmbeddingLayer(table: Tensor(shape: [11, 4], repeating: 0.1), maskZero: true))
    #expect(
      throws: QuantizationError.unsupported(
        layer: "embed", reason: "Embedding mask_zero (masking) has no integer form yet; supported: mask_zero false")
    ) { try Quantizer().checkSupported(masked) }
  }
}
