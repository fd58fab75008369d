import Foundation
import Testing

@testable import ONNXImport

/// The bad inputs in `Fixtures/bad/onnx/`: each is one clear error.
@Suite struct ONNXBadFileTests {
  static func load(_ name: String) throws {
    _ = try ONNXImporter.importModel(at: ONNXFixtureTests.bad.appendingPathComponent(name))
  }

  static func error(_ name: String) -> ONNXImportError? {
    do {
      try load(name)
      return nil
    } catch let error as ONNXImportError {
      #expect(!error.description.contains("\n"))
      #expect(!error.description.contains(ONNXFixtureTests.root.path))
      return error
    } catch {
      Issue.record("\(name): not an ONNXImportError: \(error)")
      return nil
    }
  }

  @Test func truncatedProtobuf() {
    guard case .notAModel? = Self.error("truncated.onnx") else {
      Issue.record("expected notAModel")
      return
    }
  }

  @Test func notONNX() {
    guard case .notAModel? = Self.error("not_onnx.onnx") else {
      Issue.record("expected notAModel")
      return
    }
  }

  @Test func missingInitializer() {
    #expect(Self.error("missing_initializer.onnx") == .missingValue(node: "lstm", input: "W_missing"))
  }

  @Test func initializerDataMismatch() {
    guard case .invalidTensor(let name, _)? = Self.error("initializer_mismatch.onnx") else {
      Issue.record("expected invalidTensor")
      return
    }
    #expect(name == "W")
  }

  /// A plain RNN node: not an LSTM or a GRU, refused by name with the recurrent ops that are supported.
  @Test func unsupportedOp() {
    let error = Self.error("unsupported_op.onnx")
    #expect(error == .simpleRNN(node: "rnn"))
    #expect(error.map { "\($0)" }?.contains("supported recurrent ops: LSTM, GRU") == true)
  }

  /// An nn.GRUCell stepped in a Python loop exports as primitive ops: refused naming the first node lstmc
  /// cannot map and saying that only LSTM and GRU nodes are recurrences it maps.
  @Test func unrolledGRUCellLoop() {
    guard case .unsupportedGraph(let reason)? = Self.error("torch_grucell_loop.onnx") else {
      Issue.record("expected unsupportedGraph")
      return
    }
    #expect(reason.contains("node '") && reason.contains("no LSTM or GRU node") && reason.contains("unrolled"))
  }

  @Test func unsupportedActivation() {
    guard
      case .unsupportedAttribute(_, let attribute, let value, let supported)? = Self.error(
        "unsupported_attribute.onnx")
    else {
      Issue.record("expected unsupportedAttribute")
      return
    }
    #expect(attribute == "activation" && value == "Gelu" && supported.contains("ScaledTanh"))
  }

  @Test func unsupportedDirection() {
    guard case .unsupportedAttribute(_, let attribute, let value, _)? = Self.error("unsupported_direction.onnx") else {
      Issue.record("expected unsupportedAttribute")
      return
    }
    #expect(attribute == "direction" && value.contains("sideways"))
  }

  @Test func externalDataEscapingTheFolder() {
    guard case .externalData(let name, _)? = Self.error("external_escape.onnx") else {
      Issue.record("expected externalData")
      return
    }
    #expect(name == "W")
  }

  @Test(arguments: ["tf2onnx_masked_loop.onnx", "tf2onnx_softsign_loop.onnx", "tf2onnx_gru_reset_before_loop.onnx"])
  func loopRecurrencesAreNotSupported(name: String) {
    guard case .controlFlow(let opType, let node)? = Self.error(name) else {
      Issue.record("expected controlFlow")
      return
    }
    #expect(opType == "Loop" && !node.isEmpty)
    #expect(Self.error(name)?.description.contains("not supported") == true)
  }
}
