import CanonicalModel
import Foundation
import Interpreter
import Testing

@testable import Quantization

/// Scheme `int16x8_16` (int16 symmetric activations, int8 weights, int64 accumulators) against the
/// float interpreter on held-out data: issue 12's bar is ≥ 40 dB SNR and ≥ 99 % argmax agreement.
@Suite struct Int16SchemeTests {
  typealias Support = IntegerInterpreterTests

  @Test(arguments: WeightGranularity.allCases)
  func classifierReachesFortyDecibels(granularity: WeightGranularity) throws {
    let model = QuantizationModels.classifier()
    let wide = try Support.quantized(model, scheme: .int16x8_16, granularity: granularity, features: 5)
    let narrow = try Support.quantized(model, scheme: .int8x8_16, granularity: granularity, features: 5)
    let statistics = try Support.statistics(model, wide, features: 5)[0]
    let baseline = try Support.statistics(model, narrow, features: 5)[0]
    #expect(statistics.snrDecibels >= 40, "\(statistics)")
    #expect((statistics.argmaxAgreement ?? 0) >= 0.99, "\(statistics)")
    // Measured: 60 dB (per channel) and 54 dB (per tensor), RMS about half of int8x8_16's
    // (49 and 48 dB): on this model the int8 weights and the gate tables dominate, not the activations.
    #expect(statistics.rms < baseline.rms * 0.75, "int16 \(statistics.rms), int8 \(baseline.rms)")
  }

  @Test(arguments: WeightGranularity.allCases)
  func stackReachesFortyDecibels(granularity: WeightGranularity) throws {
    let model = QuantizationModels.stack()
    let quantized = try Support.quantized(model, scheme: .int16x8_16, granularity: granularity, features: 4)
    for statistics in try Support.statistics(model, quantized, features: 4) {
      // Measured (y, h, c): 42.9, 45.7, 45.9 dB per channel; 40.9, 42.9, 43.1 dB per tensor.
      #expect(statistics.snrDecibels >= 40, "\(statistics)")
    }
  }

  @Test func activationsAreSymmetricInt16() throws {
    let quantized = try Support.quantized(QuantizationModels.stack(), scheme: .int16x8_16, features: 4)
    let parameters = try #require(quantized.quantization)
    #expect(parameters.scheme == .int16x8_16)
    for entry in [parameters.input] + parameters.layers.map(\.output) {
      #expect(entry.zeroPoint == 0)
      #expect(abs(entry.scale * 32767 - max(-entry.minimum, entry.maximum)) <= entry.scale)
    }
    let shifts = parameters.layers.flatMap { layer in
      layer.directions.flatMap { $0.gates.values.flatMap { $0.input.shifts.data + $0.recurrent.shifts.data } }
        + (layer.dense?.shifts.data ?? [])
    }
    #expect(shifts.allSatisfy { $0 <= FixedPoint.maximumWideShift })
  }

  /// The 40 dB bound can fail: one recurrent shift off by one in the forget gate breaks it.
  @Test func aBrokenShiftIsCaught() throws {
    let model = QuantizationModels.classifier()
    var quantized = try Support.quantized(model, scheme: .int16x8_16, features: 5)
    var gate = quantized.quantization!.layers[0].directions[0].gates["forget"]!
    gate.recurrent.shifts.data = gate.recurrent.shifts.data.map { $0 - 1 }
    quantized.quantization!.layers[0].directions[0].gates["forget"] = gate
    let statistics = try Support.statistics(model, quantized, features: 5)[0]
    #expect(statistics.snrDecibels < 40, "\(statistics)")
  }

  @Test func archiveRoundTripIsBitExact() throws {
    let quantized = try Support.quantized(QuantizationModels.stack(), scheme: .int16x8_16, features: 4)
    let data = try ModelArchive.encode(quantized)
    let decoded = try ModelArchive.decode(data)
    #expect(decoded == quantized)
    #expect(try ModelArchive.encode(decoded) == data)
    let input = QuantizationModels.batches(count: 1, features: 4, seed: 5)[0]
    let reference = try IntegerInterpreter(model: quantized)
    #expect(try IntegerInterpreter(model: decoded).run(input) == reference.run(input))
    // The integer input codes are int16.
    #expect(reference.quantizeInput(input[0]).elementType == .int16)
  }

  /// A bias that needs more than int32 steps of `s_x s_w` is refused naming the layer, not clamped.
  @Test func refusesABiasBeyondInt32() throws {
    var model = QuantizationModels.classifier()
    guard case .dense(var dense) = model.layers[1].kind else { return }
    dense.bias = Tensor(shape: [4], data: [1e9, 0, 0, 0])
    model.layers[1].kind = .dense(dense)
    let calibration = try Calibration.record(
      model, batches: QuantizationModels.batches(count: 1, features: 5, seed: 21))
    do {
      _ = try Quantizer(scheme: .int16x8_16).quantize(model, calibration: calibration)
      Issue.record("quantized a bias beyond int32")
    } catch QuantizationError.unsupported(let layer, let reason) {
      #expect(layer == "head")
      #expect(reason.contains("beyond int32"), "\(reason)")
    }
  }
}
