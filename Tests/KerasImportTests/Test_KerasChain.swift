import Foundation
import Testing

@testable import KerasImport

@Suite("Topology: only single chains")
struct Test_KerasChain {
  private func chain(_ json: String) throws -> KerasChain {
    try KerasChain(modelConfig: JSONValue.parse(Data(json.utf8)))
  }

  private func k2Layer(_ className: String, _ name: String, inputs: [(String, Int)], extra: String = "") -> String {
    let node = inputs.map { "[\"\($0.0)\", 0, \($0.1), {}]" }.joined(separator: ", ")
    let nodes = inputs.isEmpty ? "[]" : "[[\(node)]]"
    let config = "{\"name\": \"\(name)\"\(extra.isEmpty ? "" : ", " + extra)}"
    return
      "{\"class_name\": \"\(className)\", \"name\": \"\(name)\", \"config\": \(config), \"inbound_nodes\": \(nodes)}"
  }

  private func k2Functional(_ layers: [String], inputs: String = "[[\"x\", 0, 0]]", outputs: String) -> String {
    "{\"class_name\": \"Functional\", \"config\": {\"name\": \"m\", \"layers\": [\(layers.joined(separator: ", "))], "
      + "\"input_layers\": \(inputs), \"output_layers\": \(outputs)}}"
  }

  private let input =
    "{\"class_name\": \"InputLayer\", \"name\": \"x\", \"config\": {\"name\": \"x\", \"batch_input_shape\": [null, 5, 3], \"dtype\": \"float32\"}, \"inbound_nodes\": []}"

  @Test("a Functional chain keeps config order and outputs, including states of a middle LSTM")
  func functionalChain() throws {
    let result = try chain(
      k2Functional(
        [
          input,
          k2Layer("LSTM", "enc", inputs: [("x", 0)], extra: "\"return_state\": true, \"return_sequences\": true"),
          k2Layer("Dropout", "drop", inputs: [("enc", 0)]),
          k2Layer("Dense", "head", inputs: [("drop", 0)]),
        ], outputs: "[[\"head\", 0, 0], [\"enc\", 0, 1], [\"enc\", 0, 2]]"))
    #expect(result.input == KerasChain.Input(name: "x", shape: [nil, 5, 3], dtype: "float32"))
    #expect(result.layers.map(\.name) == ["enc", "drop", "head"])
    #expect(
      result.outputs == [
        KerasTensorRef(layer: "head", node: 0, index: 0), KerasTensorRef(layer: "enc", node: 0, index: 1),
        KerasTensorRef(layer: "enc", node: 0, index: 2),
      ])
    #expect(!result.isSequential)
  }

  @Test("a branch is rejected, naming the first layer off the chain")
  func branch() throws {
    #expect(
      throws: KerasImportError.unsupportedTopology(
        layer: "b", className: "LSTM", reason: "branches off: it consumes the output of 'x', which already feeds 'a'")
    ) {
      try chain(
        k2Functional(
          [input, k2Layer("LSTM", "a", inputs: [("x", 0)]), k2Layer("LSTM", "b", inputs: [("x", 0)])],
          outputs: "[[\"b\", 0, 0]]"))
    }
  }

  @Test("a merge layer is rejected")
  func merge() throws {
    #expect(
      throws: KerasImportError.unsupportedTopology(layer: "cat", className: "Concatenate", reason: "takes 2 inputs")
    ) {
      try chain(
        k2Functional(
          [
            input, k2Layer("Dense", "a", inputs: [("x", 0)]),
            k2Layer("Concatenate", "cat", inputs: [("a", 0), ("x", 0)]),
          ],
          outputs: "[[\"cat\", 0, 0]]"))
    }
  }

  @Test("consuming a returned state is rejected")
  func stateConsumer() throws {
    let error = #expect(throws: KerasImportError.self) {
      try chain(
        k2Functional(
          [
            input, k2Layer("LSTM", "a", inputs: [("x", 0)], extra: "\"return_state\": true"),
            k2Layer("Dense", "d", inputs: [("a", 1)]),
          ], outputs: "[[\"d\", 0, 0]]"))
    }
    guard case .unsupportedTopology("d", "Dense", let reason)? = error else {
      Issue.record("got \(String(describing: error))")
      return
    }
    #expect(reason.contains("returned state"))
  }

  @Test("a shared layer is rejected")
  func sharedLayer() throws {
    let shared =
      "{\"class_name\": \"Dense\", \"name\": \"d\", \"config\": {\"name\": \"d\"}, \"inbound_nodes\": [[[\"x\", 0, 0, {}]], [[\"x\", 0, 0, {}]]]}"
    #expect(
      throws: KerasImportError.unsupportedTopology(
        layer: "d", className: "Dense", reason: "is called 2 times (a shared layer)")
    ) {
      try chain(k2Functional([input, shared], outputs: "[[\"d\", 0, 0]]"))
    }
  }

  @Test("a second model input is rejected")
  func twoInputs() throws {
    let second = input.replacingOccurrences(of: "\"x\"", with: "\"y\"")
    let error = #expect(throws: KerasImportError.self) {
      try chain(
        k2Functional(
          [input, second, k2Layer("Dense", "d", inputs: [("x", 0)])], inputs: "[[\"x\", 0, 0], [\"y\", 0, 0]]",
          outputs: "[[\"d\", 0, 0]]"))
    }
    guard case .unsupportedTopology("y", "InputLayer", _)? = error else {
      Issue.record("got \(String(describing: error))")
      return
    }
  }

  @Test("asking for a state the layer does not return is rejected")
  func missingState() throws {
    #expect(throws: KerasImportError.self) {
      try chain(k2Functional([input, k2Layer("LSTM", "a", inputs: [("x", 0)])], outputs: "[[\"a\", 0, 1]]"))
    }
  }

  @Test("a Sequential model with return_state in the middle is rejected; at the end its states are outputs")
  func sequentialStates() throws {
    func sequential(_ layers: [String]) -> String {
      "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": [\(layers.joined(separator: ", "))]}}"
    }
    let lstm = "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"l\", \"units\": 2, \"return_state\": true}}"
    let dense = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2}}"
    #expect(throws: KerasImportError.self) { try chain(sequential([input, lstm, dense])) }
    let result = try chain(sequential([input, lstm]))
    #expect(result.outputs.map(\.index) == [0, 1, 2])
    #expect(result.isSequential)
  }

  @Test("a Sequential model without InputLayer takes its shape from the first layer")
  func sequentialWithoutInputLayer() throws {
    let result = try chain(
      "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
        + "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"l\", \"units\": 2, \"batch_input_shape\": [null, 7, 3], \"dtype\": \"float32\"}}]}}"
    )
    #expect(result.input == KerasChain.Input(name: "l_input", shape: [nil, 7, 3], dtype: "float32"))
  }

  @Test("subclassed models are rejected")
  func subclassed() throws {
    let error = #expect(throws: KerasImportError.self) {
      try chain("{\"class_name\": \"MyModel\", \"config\": {}}")
    }
    guard case .invalidConfig(let reason)? = error else {
      Issue.record("got \(String(describing: error))")
      return
    }
    #expect(reason.contains("MyModel"))
  }

  // MARK: Keras 3 mask bookkeeping

  private func k3Tensor(_ layer: String) -> String {
    "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 5, 3], \"dtype\": \"float32\", \"keras_history\": [\"\(layer)\", 0, 0]}}"
  }

  private func k3Layer(_ className: String, _ name: String, args: [String], mask: String? = nil, config: String = "")
    -> String
  {
    let kwargs = mask.map { "{\"mask\": \(k3Tensor($0))}" } ?? "{}"
    return "{\"class_name\": \"\(className)\", \"name\": \"\(name)\", \"config\": {\"name\": \"\(name)\"\(config)}, "
      + "\"inbound_nodes\": [{\"args\": [\(args.joined(separator: ", "))], \"kwargs\": \(kwargs)}]}"
  }

  private func k3Model(_ layers: [String]) -> String {
    "{\"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"layers\": [\(layers.joined(separator: ", "))], "
      + "\"input_layers\": [\"x\", 0, 0], \"output_layers\": [\"l\", 0, 0]}}"
  }

  private var k3Input: String {
    "{\"class_name\": \"InputLayer\", \"name\": \"x\", \"config\": {\"name\": \"x\", \"batch_shape\": [null, 5, 3], \"dtype\": \"float32\"}, \"inbound_nodes\": []}"
  }

  @Test("Keras 3's NotEqual/Any mask ops of a Masking layer are accepted and dropped")
  func keras3MaskOps() throws {
    let result = try chain(
      k3Model([
        k3Input,
        k3Layer("NotEqual", "not_equal", args: [k3Tensor("x"), "0.5"]),
        k3Layer("Masking", "masking", args: [k3Tensor("x")], config: ", \"mask_value\": 0.5"),
        k3Layer("Any", "any", args: [k3Tensor("not_equal")], config: ", \"axis\": -1, \"keepdims\": false"),
        k3Layer("LSTM", "l", args: [k3Tensor("masking")], mask: "any", config: ", \"units\": 2"),
      ]))
    #expect(result.layers.map(\.name) == ["masking", "l"])
    #expect(result.savedLayers.map(\.name) == ["x", "masking", "l"])
  }

  @Test("Keras 3's NotEqual mask op of an Embedding(mask_zero) is accepted and dropped")
  func keras3EmbeddingMask() throws {
    let result = try chain(
      k3Model([
        k3Input,
        k3Layer("Embedding", "e", args: [k3Tensor("x")], config: ", \"mask_zero\": true"),
        k3Layer("NotEqual", "not_equal", args: [k3Tensor("x"), "0"]),
        k3Layer("LSTM", "l", args: [k3Tensor("e")], mask: "not_equal", config: ", \"units\": 2"),
      ]))
    #expect(result.layers.map(\.name) == ["e", "l"])
    #expect(throws: KerasImportError.self) {
      try chain(
        k3Model([
          k3Input,
          k3Layer("Embedding", "e", args: [k3Tensor("x")], config: ", \"mask_zero\": false"),
          k3Layer("NotEqual", "not_equal", args: [k3Tensor("x"), "0"]),
          k3Layer("LSTM", "l", args: [k3Tensor("e")], mask: "not_equal", config: ", \"units\": 2"),
        ]))
    }
  }

  @Test("a mask that does not match the Masking layer is rejected")
  func keras3ForeignMask() throws {
    let error = #expect(throws: KerasImportError.self) {
      try chain(
        k3Model([
          k3Input,
          k3Layer("NotEqual", "not_equal", args: [k3Tensor("x"), "0.0"]),
          k3Layer("Masking", "masking", args: [k3Tensor("x")], config: ", \"mask_value\": 0.5"),
          k3Layer("Any", "any", args: [k3Tensor("not_equal")], config: ", \"axis\": -1, \"keepdims\": false"),
          k3Layer("LSTM", "l", args: [k3Tensor("masking")], mask: "any", config: ", \"units\": 2"),
        ]))
    }
    guard case .unsupportedTopology("l", "LSTM", let reason)? = error else {
      Issue.record("got \(String(describing: error))")
      return
    }
    #expect(reason.contains("mask"))
  }
}
