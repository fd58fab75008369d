import CanonicalModel
import FixtureFormat
import Foundation
import Testing
import Verification

@testable import ONNXImport

/// Graph inputs bound to constants before import (``ONNXGraph/binding(_:)``): initializers listed as graph
/// inputs, weights given as graph inputs through the graph mapper (LSTM W/R/B and a Gemm weight), initial
/// states, and values that do not fit.
@Suite struct ONNXBindingTests {
  static let folder = ONNXFixtureTests.onnx.appendingPathComponent("bind")
  static let backend = ONNXBackendConformanceTests.folder

  static func file(_ name: String) throws -> ONNXModelFile {
    try ONNXModelFile(contentsOf: folder.appendingPathComponent(name))
  }

  static func fixture(_ name: String) throws -> Fixture {
    try Fixture(contentsOf: folder.appendingPathComponent(name))
  }

  static func dense(_ model: Model) -> DenseLayer? {
    for layer in model.layers { if case .dense(let dense) = layer.kind { return dense } }
    return nil
  }

  /// torch's `keep_initializers_as_inputs=True`: every initializer is also a graph input, and imports
  /// with the initializer's value (the only runtime input is x).
  @Test func initializersListedAsInputsImportWithTheirValues() throws {
    let file = try Self.file("torch_keep_inits.onnx")
    #expect(file.graph.inputs.count == 1 + file.graph.initializers.count)
    #expect(file.graph.runtimeInputs.map(\.name) == ["x"])
    let model = try ONNXImporter.importModel(file, fileName: "torch_keep_inits.onnx")
    #expect(model.inputs.map(\.name) == ["x"])
    let report = try Verifier(model: model).verify(
      try Self.fixture("torch_keep_inits.fixture.json"), on: .interpreter, fixtureName: "keep")
    #expect(report.passed, "\(ReportFormatter.text([report]))")
  }

  /// A binding replaces an initializer's value: the model computes with the bound bias, and no longer
  /// matches the fixture made with the initializer's.
  @Test func aBindingOverridesAnInitializer() throws {
    let file = try Self.file("torch_keep_inits.onnx")
    var bias = try #require(file.graph.initializer(named: "fc.bias"))
    bias.floats = bias.floats.map { $0 + 1 }
    let model = try ONNXImporter.importModel(file, fileName: "keep", bindings: ["fc.bias": bias])
    #expect(Self.dense(model)?.bias?.data == bias.floats)
    let report = try Verifier(model: model).verify(
      try Self.fixture("torch_keep_inits.fixture.json"), on: .interpreter, fixtureName: "keep")
    #expect(!report.passed)
  }

  /// The same export with its weights as plain graph inputs goes through the graph mapper: unbound, the
  /// LSTM's W is refused naming its input; bound from the fixture, all five weights are bound and it verifies.
  @Test func weightsAsGraphInputsBindFromTheFixture() throws {
    let file = try Self.file("torch_weights_as_inputs.onnx")
    #expect(file.graph.initializers.isEmpty)
    #expect {
      _ = try ONNXImporter.importModel(file, fileName: "inputs")
    } throws: { error in
      guard case ONNXImportError.graphInputNotConstant("LSTM", _, "W", let input) = error else { return false }
      return input.hasPrefix("onnx::LSTM")
    }
    let fixture = try Self.fixture("torch_weights_as_inputs.fixture.json")
    let bound = try BoundModel(file, fileName: "inputs", fixture: fixture)
    #expect(Set(bound.boundFromFixture) == Set(fixture.inputs.map(\.name).filter { $0 != "x" }))
    #expect(bound.model.inputs.map(\.name) == ["x"])
    let report = try Verifier(model: bound.model).verify(bound.fitting(fixture), on: .interpreter, fixtureName: "in")
    #expect(report.passed, "\(ReportFormatter.text([report]))")
  }

  /// A Gemm weight that is an unbound graph input is refused naming the Gemm node and the input.
  @Test func anUnboundGemmWeightIsNamed() throws {
    let file = try Self.file("torch_weights_as_inputs.onnx")
    let fixture = try Self.fixture("torch_weights_as_inputs.fixture.json")
    var bindings: [String: ONNXTensor] = [:]
    for tensor in fixture.inputs where tensor.name != "x" && tensor.name != "fc.weight" {
      bindings[tensor.name] = tensor.onnxTensor(name: tensor.name)
    }
    #expect(
      throws: ONNXImportError.graphInputNotConstant(
        opType: "Gemm", node: "/fc/Gemm", operand: "input 1", input: "fc.weight")
    ) {
      _ = try ONNXImporter.importModel(file, fileName: "inputs", bindings: bindings)
    }
  }

  /// Bound, an initial state is a constant of the layer instead of a model input.
  @Test func aBoundInitialStateIsAConstant() throws {
    let url = Self.backend.appendingPathComponent("test_lstm_with_peepholes")
    let file = try ONNXModelFile(contentsOf: url.appendingPathComponent("model.onnx"))
    let fixture = try Fixture(contentsOf: url.appendingPathComponent("test_data_set_0"))
    let state = ONNXTensor(
      name: "initial_h", dims: [1, 2, 3], dataType: .float, floats: [0.1, -0.2, 0.3, 0.4, -0.5, 0.6])
    let bound = try BoundModel(file, fileName: "peep", bindings: ["initial_h": state], fixture: fixture)
    #expect(bound.model.inputs.map(\.name) == ["X", "sequence_lens", "initial_c"])
    guard case .lstm(let lstm) = bound.model.layers[0].kind else {
      Issue.record("not an LSTM")
      return
    }
    #expect(lstm.initialHidden?.data == state.floats)
    #expect(bound.fitting(fixture).inputs.map(\.name) == ["X", "sequence_lens", "initial_c"])
  }

  static let lstmDefaults = backend.appendingPathComponent("test_lstm_defaults/model.onnx")

  @Test func aBindingNamingNoGraphInputIsRefused() throws {
    let file = try ONNXModelFile(contentsOf: Self.lstmDefaults)
    let value = ONNXTensor(name: "Q", dims: [1], dataType: .float, floats: [1])
    #expect(throws: ONNXImportError.unknownBinding(name: "Q", graphInputs: ["X", "W", "R"])) {
      _ = try ONNXImporter.importModel(file, fileName: "m", bindings: ["Q": value])
    }
  }

  @Test func aBoundValueOfTheWrongShapeOrTypeIsRefused() throws {
    let file = try ONNXModelFile(contentsOf: Self.lstmDefaults)
    let wrongShape = ONNXTensor(name: "", dims: [1, 12, 3], dataType: .float, floats: Array(repeating: 0.1, count: 36))
    #expect(
      throws: ONNXImportError.bindingMismatch(
        name: "W", reason: "it has shape [1, 12, 3], the input is declared [1, 12, 2]")
    ) {
      _ = try ONNXImporter.importModel(file, fileName: "m", bindings: ["W": wrongShape])
    }
    let wrongType = ONNXTensor(name: "", dims: [1, 12, 2], dataType: .int64, integers: Array(repeating: 1, count: 24))
    #expect(
      throws: ONNXImportError.bindingMismatch(name: "W", reason: "it is int64, the input is declared float")
    ) {
      _ = try ONNXImporter.importModel(file, fileName: "m", bindings: ["W": wrongType])
    }
  }

  /// Unnamed test-data tensors match graph inputs by position.
  @Test func unnamedFixtureInputsMatchByPosition() throws {
    var fixture = try Fixture(contentsOf: Self.backend.appendingPathComponent("test_lstm_defaults/test_data_set_0"))
    for index in fixture.inputs.indices { fixture.inputs[index].name = "" }
    let value = try #require(fixture.inputValue(named: "R", graphInputs: ["X", "W", "R"]))
    #expect(value.shape == [1, 12, 3])
    #expect(fixture.removingInputs(["W", "R"], graphInputs: ["X", "W", "R"]).inputs.map(\.shape) == [[1, 3, 2]])
  }
}
