import CanonicalModel
import FixtureFormat
import ONNXImport

/// A model with the ONNX graph inputs bound as constants: by the caller (`--bind`), and, as `lstmc verify`
/// does, from a fixture.
///
/// ONNX's backend tests and many hand-written files feed `W`, `R`, `B` or `P` (or a weight) as graph
/// inputs whose values are in the test data. Import is tried with the given bindings; each time it
/// fails because a graph input must be constant
/// (``ONNXImport/ONNXImportError/graphInputNotConstant(opType:node:operand:input:)``) and the fixture
/// holds that input, the fixture's value is bound and import is tried again. Inputs that may stay
/// runtime values (`initial_h`, `initial_c`, `sequence_lens`) are never bound this way.
public struct BoundModel: Sendable {
  /// The imported model.
  public var model: Model
  /// The graph inputs bound from the fixture, in the order import needed them.
  public var boundFromFixture: [String]
  /// Every bound graph input: the given bindings and ``boundFromFixture``.
  public var bound: Set<String>
  /// The graph's runtime inputs before binding (what ``Fixture/removingInputs(_:graphInputs:)`` matches against).
  public var graphInputs: [String]

  /// A model with nothing bound (a Keras or canonical model).
  public init(model: Model) {
    self.model = model
    boundFromFixture = []
    bound = []
    graphInputs = []
  }

  /// Imports `file`, binding `bindings` and, as needed, values from `fixture`.
  ///
  /// - Throws: the import error when it is not about an unbound input, or when `fixture` is `nil` or
  ///   lacks the input.
  public init(
    _ file: ONNXModelFile, fileName: String, bindings: [String: ONNXTensor] = [:], fixture: Fixture? = nil
  ) throws {
    let graphInputs = file.graph.runtimeInputs.map(\.name)
    var bindings = bindings
    var fromFixture: [String] = []
    while true {
      do {
        model = try ONNXImporter.importModel(file, fileName: fileName, bindings: bindings)
        break
      } catch ONNXImportError.graphInputNotConstant(let opType, let node, let operand, let input) {
        guard bindings[input] == nil, let value = fixture?.inputValue(named: input, graphInputs: graphInputs) else {
          throw ONNXImportError.graphInputNotConstant(opType: opType, node: node, operand: operand, input: input)
        }
        bindings[input] = value.onnxTensor(name: input)
        fromFixture.append(input)
      }
    }
    boundFromFixture = fromFixture
    bound = Set(bindings.keys)
    self.graphInputs = graphInputs
  }

  /// `fixture` without the values of the bound inputs, to verify the model against.
  public func fitting(_ fixture: Fixture) -> Fixture {
    bound.isEmpty ? fixture : fixture.removingInputs(bound, graphInputs: graphInputs)
  }
}
