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

  /// Keras' `hard_sigmoid` gates (slope 0.2 in Keras 2, 1/6 in Keras 3) on every GRU and LSTM
  /// direction of the stacks: the integer reference follows the float interpreter as closely as
  /// with sigmoid gates, and not when its hard sigmoid is replaced by the table sigmoid (so the
  /// test can fail).
  @Test(arguments: [Float(0.2), Float(1.0 / 6.0)], QuantizationScheme.allCases)
  func hardSigmoidGatesFollowTheFloatModel(slope: Float, scheme: QuantizationScheme) throws {
    let hard = Activation.hardSigmoid(slope: slope, offset: 0.5)
    for base in [QuantizationModels.gruStack(middleResetAfter: true), QuantizationModels.stack()] {
      var model = base
      for index in model.layers.indices {
        model.layers[index].kind = Self.withGateActivation(hard, model.layers[index].kind)
      }
      let features = model.inputs[0].shape.last!!
      let quantized = try Support.quantized(model, scheme: scheme, features: features)
      let right = try Support.statistics(model, quantized, features: features)
      for statistics in right {
        switch scheme {
        case .int8x8_16:
          #expect(statistics.maxAbs < Self.narrowMaxAbs, "\(statistics)")
          #expect(statistics.rms < Self.narrowRMS, "\(statistics)")
        case .int16x8_16:
          #expect(statistics.snrDecibels >= 40, "\(statistics)")
        }
      }
      // The same integers with the table sigmoid in place of the hard one are several times further off.
      var sigmoidFloat = quantized
      for index in sigmoidFloat.layers.indices {
        sigmoidFloat.layers[index].kind = Self.withGateActivation(.sigmoid, sigmoidFloat.layers[index].kind)
      }
      let wrong = try Support.statistics(model, sigmoidFloat, features: features)
      #expect(zip(right, wrong).contains { $1.rms > 3 * $0.rms }, "\(right) \(wrong)")
    }
  }

  /// `kind` with every recurrent direction's gate activation set to `activation`.
  static func withGateActivation(_ activation: Activation, _ kind: LayerKind) -> LayerKind {
    func recurrent(_ layer: RecurrentLayer) -> RecurrentLayer {
      switch layer {
      case .lstm(var lstm):
        lstm.activations.gate = activation
        return .lstm(lstm)
      case .gru(var gru):
        gru.activations.gate = activation
        return .gru(gru)
      }
    }
    switch kind {
    case .lstm(var lstm):
      lstm.activations.gate = activation
      return .lstm(lstm)
    case .gru(var gru):
      gru.activations.gate = activation
      return .gru(gru)
    case .bidirectional(var bi):
      bi.forward = recurrent(bi.forward)
      bi.backward = recurrent(bi.backward)
      return .bidirectional(bi)
    default: return kind
    }
  }
}
