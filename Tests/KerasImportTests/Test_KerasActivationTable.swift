import CanonicalModel
import Foundation
import Testing

@testable import KerasImport

@Suite("Activation table")
struct Test_KerasActivationTable {
  private let keras2 = KerasDialect(major: 2, version: "2.21.0", container: .hdf5)
  private let keras3 = KerasDialect(major: 3, version: "3.15.1", container: .archive)
  private var layer: KerasLayerConfig {
    get throws {
      try KerasLayerConfig(
        JSONValue.object(["class_name": .string("Dense"), "config": .object(["name": .string("d")])]))
    }
  }

  @Test func names() {
    #expect(KerasActivationTable.activation(named: "swish", dialect: keras2) == .swish)
    #expect(KerasActivationTable.activation(named: "silu", dialect: keras3) == .swish)
    #expect(KerasActivationTable.activation(named: "gelu", dialect: keras3) == .gelu(approximate: false))
    #expect(KerasActivationTable.activation(named: "elu", dialect: keras3) == .elu(alpha: 1))
    #expect(
      KerasActivationTable.activation(named: "hard_sigmoid", dialect: keras2) == .hardSigmoid(slope: 0.2, offset: 0.5))
    #expect(
      KerasActivationTable.activation(named: "hard_sigmoid", dialect: keras3)
        == .hardSigmoid(slope: 1.0 / 6.0, offset: 0.5))
    for name in ["relu6", "mish", "exponential", "leaky_relu", "hard_silu"] {
      #expect(KerasActivationTable.activation(named: name, dialect: keras3) == nil, "\(name)")
    }
    for name in KerasImportError.supportedActivations {
      #expect(KerasActivationTable.activation(named: name, dialect: keras3) != nil, "\(name)")
    }
  }

  @Test("strings, serialized dicts and null")
  func forms() throws {
    let dict = JSONValue.object([
      "module": .string("keras.activations"), "class_name": .string("function"), "config": .string("softsign"),
      "registered_name": .string("function"),
    ])
    #expect(
      try KerasActivationTable.activation(dict, option: "activation", of: try layer, dialect: keras3) == .softsign)
    #expect(
      try KerasActivationTable.activation(.string("tanh"), option: "activation", of: try layer, dialect: keras3)
        == .tanh)
    #expect(try KerasActivationTable.activation(.null, option: "activation", of: try layer, dialect: keras3) == .linear)
    #expect(try KerasActivationTable.activation(nil, option: "activation", of: try layer, dialect: keras3) == .linear)
    #expect(
      throws: KerasImportError.unsupportedActivation(
        layer: "d", className: "Dense", option: "activation", activation: "relu6")
    ) {
      try KerasActivationTable.activation(.string("relu6"), option: "activation", of: try layer, dialect: keras3)
    }
  }
}
