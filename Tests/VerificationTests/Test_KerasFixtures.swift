import CanonicalModel
import FixtureFormat
import Foundation
import Interpreter
import KerasImport
import Testing
import Verification

/// Every fixture made by real Keras must verify on the interpreter, before and
/// after a `.safetensors` round trip; and a model with permuted gates must not.
@Suite struct KerasFixtureTests {
  static let fixtures = FixtureFiles.kerasFixtures()

  static func load(_ url: URL) throws -> (Fixture, Model) {
    let fixture = try Fixture(contentsOf: url)
    let modelURL = try #require(fixture.modelURL, "fixture \(url.lastPathComponent) names no model")
    return (fixture, try KerasImporter.importModel(at: modelURL))
  }

  @Test func thereAreManyFixtures() {
    #expect(Self.fixtures.count >= 40)
  }

  @Test(arguments: fixtures)
  func fixtureVerifies(url: URL) throws {
    let (fixture, model) = try Self.load(url)
    let report = try Verifier(model: model).verify(fixture, on: .interpreter, fixtureName: url.lastPathComponent)
    #expect(report.passed, "\(ReportFormatter.text([report]))")
  }

  @Test(arguments: fixtures)
  func safetensorsRoundTripIsExactAndStillVerifies(url: URL) throws {
    let (fixture, model) = try Self.load(url)
    let data = try ModelArchive.encode(model)
    let reloaded = try ModelArchive.decode(data)
    #expect(reloaded == model)
    #expect(try ModelArchive.encode(reloaded) == data)
    let report = try Verifier(model: reloaded).verify(fixture, on: .interpreter, fixtureName: url.lastPathComponent)
    #expect(report.passed, "\(ReportFormatter.text([report]))")
  }

  /// The ONNX order (i, o, f, c) read as if it were canonical, and a plain swap:
  /// the fixtures must catch both.
  @Test(arguments: fixtures)
  func permutedGatesFailVerification(url: URL) throws {
    let (fixture, model) = try Self.load(url)
    for permutation in [[Gate.input, .output, .forget, .cell], [.forget, .input, .cell, .output]] {
      var permuted = model
      var touched = false
      for index in permuted.layers.indices {
        switch permuted.layers[index].kind {
        case .lstm(let lstm):
          permuted.layers[index].kind = .lstm(Self.permute(lstm, permutation))
          touched = true
        case .bidirectional(var bi):
          guard let forward = bi.forward.lstm, let backward = bi.backward.lstm else { continue }
          bi.forward = .lstm(Self.permute(forward, permutation))
          bi.backward = .lstm(Self.permute(backward, permutation))
          permuted.layers[index].kind = .bidirectional(bi)
          touched = true
        default: break
        }
      }
      guard touched else { continue }
      let report = try Verifier(model: permuted).verify(fixture, on: .interpreter, fixtureName: url.lastPathComponent)
      #expect(!report.passed, "gates permuted as \(permutation.map(\.rawValue)) still pass \(url.lastPathComponent)")
    }
  }

  /// The GRU mistakes an importer can make: z and r swapped, reset-after read as
  /// reset-before (and the other way round), and `bU` folded into the candidate's `b`
  /// (only where it is not zero, i.e. with reset-after). Every GRU fixture must catch each.
  static let gruMistakes: [(name: String, apply: @Sendable (GRULayer) -> GRULayer?)] = [
    (
      "z and r swapped",
      { gru in
        var result = gru
        result.weights.update = gru.weights.reset
        result.weights.reset = gru.weights.update
        return result
      }
    ),
    (
      "reset mode flipped",
      { gru in
        var result = gru
        result.resetAfter.toggle()
        return result
      }
    ),
    (
      "bU folded into b",
      { gru in
        guard gru.resetAfter, gru.weights.candidateRecurrentBias.data.contains(where: { $0 != 0 }) else {
          return nil
        }
        var result = gru
        let bU = gru.weights.candidateRecurrentBias
        result.weights.candidate.b = Tensor(shape: bU.shape, data: zip(gru.weights.candidate.b.data, bU.data).map(+))
        result.weights.candidateRecurrentBias = Tensor(shape: bU.shape)
        return result
      }
    ),
  ]

  @Test(arguments: fixtures)
  func gruMistakesFailVerification(url: URL) throws {
    let (fixture, model) = try Self.load(url)
    guard model.layers.contains(where: { $0.kind.recurrentDirections.contains { $0.gru != nil } }) else { return }
    for mistake in Self.gruMistakes {
      var mistaken = model
      var touched = false
      func apply(_ layer: RecurrentLayer) -> RecurrentLayer {
        guard let gru = layer.gru, let changed = mistake.apply(gru) else { return layer }
        touched = true
        return .gru(changed)
      }
      for index in mistaken.layers.indices {
        switch mistaken.layers[index].kind {
        case .gru(let gru):
          mistaken.layers[index].kind = .gru(apply(.gru(gru)).gru!)
        case .bidirectional(var bi):
          bi.forward = apply(bi.forward)
          bi.backward = apply(bi.backward)
          mistaken.layers[index].kind = .bidirectional(bi)
        default: break
        }
      }
      guard touched else {
        // Only folding can find nothing to change: no reset-after GRU with a non-zero bU.
        #expect(mistake.name == "bU folded into b", "\(mistake.name) changed nothing in \(url.lastPathComponent)")
        continue
      }
      let report = try Verifier(model: mistaken).verify(fixture, on: .interpreter, fixtureName: url.lastPathComponent)
      #expect(!report.passed, "\(mistake.name) still passes \(url.lastPathComponent)")
    }
  }

  static func permute(_ lstm: LSTMLayer, _ order: [Gate]) -> LSTMLayer {
    var result = lstm
    for (gate, source) in zip(Gate.allCases, order) { result.weights[gate] = lstm.weights[source] }
    return result
  }

  @Test func mismatchedFixtureIsAnInputError() throws {
    let url = FixtureFiles.bad.appendingPathComponent("mismatched.fixture.json")
    let (fixture, model) = try Self.load(url)
    #expect(throws: FixtureError.self) { try FixtureBinding(fixture: fixture, model: model) }
  }

  @Test func fixturesMatchByNameOrElseByPosition() throws {
    let url = FixtureFiles.keras.appendingPathComponent("k2_basic.fixture.json")
    var (fixture, model) = try Self.load(url)
    fixture.inputs[0].name = "not-a-model-input"
    fixture.outputs[0].name = "anything"
    let report = try Verifier(model: model).verify(fixture, on: .interpreter, fixtureName: "renamed")
    #expect(report.passed)
    fixture.outputs.append(fixture.outputs[0])
    #expect(throws: FixtureError.self) { try FixtureBinding(fixture: fixture, model: model) }
  }

  @Test func aWrongExpectedValueFailsNumerically() throws {
    let url = FixtureFiles.keras.appendingPathComponent("k2_basic.fixture.json")
    var (fixture, model) = try Self.load(url)
    fixture.outputs[0].values[1] += 0.01
    let report = try Verifier(model: model).verify(fixture, on: .interpreter, fixtureName: "perturbed")
    #expect(!report.passed)
    #expect(report.outputs[0].failures == 1)
    #expect(report.outputs[0].worstIndex == [0, 1])
  }

  @Test func commandLineToleranceOverridesTheFixture() throws {
    let url = FixtureFiles.keras.appendingPathComponent("k2_basic.fixture.json")
    var (fixture, model) = try Self.load(url)
    fixture.outputs[0].values[1] += 0.01
    let report = try Verifier(model: model, absOverride: 0.02).verify(fixture, on: .interpreter, fixtureName: "loose")
    #expect(report.passed)
    #expect(report.tolerance.abs == 0.02)
  }
}
