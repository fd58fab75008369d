import CanonicalModel
import Foundation
import Interpreter
import Testing

@testable import Quantization

/// Quantized GRU (reset before and after, forward, backward, Bidirectional concat, clip) in both
/// schemes against the float interpreter on held-out data.
@Suite struct IntegerGRUTests {
  typealias Support = IntegerInterpreterTests

  /// The int8x8_16 bounds on the probabilities and on `h` (both within [-1, 1]).
  static let narrowMaxAbs = 0.03
  static let narrowRMS = 0.01

  @Test(arguments: [true, false], QuantizationScheme.allCases)
  func stackFollowsTheFloatModel(middleResetAfter: Bool, scheme: QuantizationScheme) throws {
    let model = QuantizationModels.gruStack(middleResetAfter: middleResetAfter)
    let quantized = try Support.quantized(model, scheme: scheme, features: 4)
    for statistics in try Support.statistics(model, quantized, features: 4) {
      // Measured (p, h): int8x8_16 max abs 0.0095 and 0.018, RMS 0.0035 and 0.0052;
      // int16x8_16 50 and 47 dB (both resets alike).
      switch scheme {
      case .int8x8_16:
        #expect(statistics.maxAbs < Self.narrowMaxAbs, "\(statistics)")
        #expect(statistics.rms < Self.narrowRMS, "\(statistics)")
      case .int16x8_16:
        #expect(statistics.snrDecibels >= 40, "\(statistics)")
      }
      if let agreement = statistics.argmaxAgreement { #expect(agreement >= 0.97, "\(statistics)") }
    }
  }

  /// The bounds can fail: the candidate's recurrent product halved (shift - 1) breaks them.
  @Test(arguments: [true, false])
  func aBrokenMultiplierIsCaught(resetAfter: Bool) throws {
    let model = QuantizationModels.gruStack(middleResetAfter: resetAfter)
    var quantized = try Support.quantized(model, features: 4)
    var gate = quantized.quantization!.layers[1].directions[0].gates["candidate"]!
    gate.recurrent.shifts.data = gate.recurrent.shifts.data.map { $0 - 1 }
    quantized.quantization!.layers[1].directions[0].gates["candidate"] = gate
    let hidden = try Support.statistics(model, quantized, features: 4)[1]
    #expect(hidden.maxAbs > Self.narrowMaxAbs, "\(hidden)")
  }

  @Test func archiveRoundTripIsBitExact() throws {
    let quantized = try Support.quantized(QuantizationModels.gruStack(middleResetAfter: false), features: 4)
    let data = try ModelArchive.encode(quantized)
    let decoded = try ModelArchive.decode(data)
    #expect(decoded == quantized)
    #expect(try ModelArchive.encode(decoded) == data)
    let file = try SafetensorsFile(data: data)
    #expect(file.integerTensor(named: "layers.1.backward.candidate.U_bias")?.elementType == .int32)
    let input = QuantizationModels.batches(count: 1, features: 4, seed: 5)[0]
    #expect(try IntegerInterpreter(model: decoded).run(input) == IntegerInterpreter(model: quantized).run(input))
  }
}
