import CanonicalModel
import FixtureFormat
import Testing
import Verification

@testable import ONNXImport

/// The GRU fixtures catch the ways a GRU import can go wrong while still computing something
/// plausible: z and r swapped, the reset mode flipped, the candidate's recurrent bias folded into `b`.
@Suite struct ONNXGRUMutationTests {
  typealias Entry = ONNXFixtureTests.Entry

  static let gruEntries = ONNXFixtureTests.supported.filter(\.hasGRU)

  /// `model` with `change` applied to every GRU direction (in GRU and Bidirectional layers).
  static func mutated(_ model: Model, _ change: (inout GRULayer) -> Void) -> Model {
    var result = model
    func apply(_ direction: RecurrentLayer) -> RecurrentLayer {
      guard var gru = direction.gru else { return direction }
      change(&gru)
      return .gru(gru)
    }
    for index in result.layers.indices {
      switch result.layers[index].kind {
      case .gru(var gru):
        change(&gru)
        result.layers[index].kind = .gru(gru)
      case .bidirectional(var bi):
        bi.forward = apply(bi.forward)
        bi.backward = apply(bi.backward)
        result.layers[index].kind = .bidirectional(bi)
      default: break
      }
    }
    return result
  }

  static func gruDirections(_ model: Model) -> [GRULayer] {
    model.layers.flatMap { $0.kind.recurrentDirections.compactMap(\.gru) }
  }

  static func expectFails(_ model: Model, _ fixture: Fixture, _ entry: Entry, _ what: String) throws {
    let report = try Verifier(model: model).verify(fixture, on: .interpreter, fixtureName: entry.fixture)
    #expect(!report.passed, "\(entry.model) still passes with \(what)")
  }

  @Test func everyGRUFixtureIsHere() {
    #expect(Self.gruEntries.count == ONNXFixtureTests.entries.filter(\.hasGRU).count)
    #expect(!Self.gruEntries.isEmpty)
  }

  @Test(arguments: gruEntries)
  func swappingUpdateAndResetFails(entry: Entry) throws {
    let (fixture, model) = try ONNXFixtureTests.load(entry)
    #expect(!Self.gruDirections(model).isEmpty)
    let swapped = Self.mutated(model) { gru in
      swap(&gru.weights.update, &gru.weights.reset)
    }
    try Self.expectFails(swapped, fixture, entry, "z and r swapped")
  }

  @Test(arguments: gruEntries)
  func flippingTheResetModeFails(entry: Entry) throws {
    let (fixture, model) = try ONNXFixtureTests.load(entry)
    let flipped = Self.mutated(model) { gru in gru.resetAfter.toggle() }
    try Self.expectFails(flipped, fixture, entry, "linear_before_reset read the other way")
  }

  /// Folding `bU` into `b` is only wrong with reset-after (with reset-before ONNX adds `Rb_h` outside
  /// the reset product, where folding it changes nothing), and only where there is a bias.
  @Test(arguments: gruEntries)
  func foldingTheCandidateRecurrentBiasFails(entry: Entry) throws {
    let (fixture, model) = try ONNXFixtureTests.load(entry)
    let directions = Self.gruDirections(model)
    guard directions.contains(where: { $0.resetAfter && $0.usesBias }) else {
      #expect(directions.allSatisfy { !$0.resetAfter || !$0.usesBias })
      return
    }
    #expect(directions.allSatisfy { !$0.resetAfter || $0.weights.candidateRecurrentBias.data.contains { $0 != 0 } })
    let folded = Self.mutated(model) { gru in
      guard gru.resetAfter else { return }
      let bU = gru.weights.candidateRecurrentBias.data
      gru.weights.candidate.b = Tensor(
        shape: [gru.hiddenSize], data: zip(gru.weights.candidate.b.data, bU).map(+))
      gru.weights.candidateRecurrentBias = Tensor(shape: [gru.hiddenSize], data: Array(repeating: 0, count: bU.count))
    }
    try Self.expectFails(folded, fixture, entry, "Rb_h folded into b")
  }

  /// The clip fixtures' pre-activations leave `[-clip, clip]`: without the clip they fail.
  @Test(arguments: gruEntries.filter { $0.covers.contains("clip") })
  func droppingTheClipFails(entry: Entry) throws {
    let (fixture, model) = try ONNXFixtureTests.load(entry)
    #expect(Self.gruDirections(model).allSatisfy { $0.clip != nil })
    try Self.expectFails(Self.mutated(model) { $0.clip = nil }, fixture, entry, "no clip")
  }
}
