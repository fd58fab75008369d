import Foundation
import Testing

@testable import KerasImport

@Suite("HDF5 wrapper")
struct Test_HDF5File {
  @Test("reads the root's string attributes")
  func rootAttributes() throws {
    let file = try HDF5File(path: FixtureFiles.keras("k2_basic.h5").path)
    let root = try file.rootGroup()
    #expect(try root.stringAttribute("keras_version") == "2.21.0")
    #expect(try root.stringAttribute("backend") == "tensorflow")
    let config = try root.stringAttribute("model_config")
    #expect(config.hasPrefix("{\"class_name\": \"Sequential\""))
    #expect(root.hasAttribute("model_config"))
    #expect(!root.hasAttribute("no_such_attribute"))
  }

  @Test("fixed-length and variable-length string attributes read the same")
  func fixedAndVariableStrings() throws {
    for stem in ["k2_basic", "k3_basic"] {
      let fixed = try HDF5File(path: FixtureFiles.keras("\(stem)_fixedstr.h5").path).rootGroup()
      let variable = try HDF5File(path: FixtureFiles.keras("\(stem)_varstr.h5").path).rootGroup()
      let original = try HDF5File(path: FixtureFiles.keras("\(stem).h5").path).rootGroup()
      for name in ["model_config", "keras_version", "backend"] {
        let value = try original.stringAttribute(name)
        #expect(try fixed.stringAttribute(name) == value, "\(stem) \(name)")
        #expect(try variable.stringAttribute(name) == value, "\(stem) \(name)")
      }
    }
  }

  @Test("reads string-array attributes; an empty numeric array reads as no strings")
  func stringArrays() throws {
    let weights = try HDF5File(path: FixtureFiles.keras("k2_basic.h5").path).rootGroup().group("model_weights")
    #expect(try weights.stringArrayAttribute("layer_names") == ["lstm", "dense"])
    #expect(
      try weights.group("lstm").stringArrayAttribute("weight_names") == [
        "lstm/lstm_cell/kernel:0", "lstm/lstm_cell/recurrent_kernel:0", "lstm/lstm_cell/bias:0",
      ])
    #expect(try weights.group("top_level_model_weights").stringArrayAttribute("weight_names") == [])
    #expect(throws: HDF5Error.self) { try weights.stringAttribute("layer_names") }
  }

  @Test("lists children and reads datasets through nested paths")
  func datasets() throws {
    let weights = try HDF5File(path: FixtureFiles.keras("k2_basic.h5").path).rootGroup().group("model_weights")
    #expect(try weights.childNames() == ["dense", "lstm", "top_level_model_weights"])
    let kernel = try weights.group("lstm").dataset("lstm/lstm_cell/kernel:0")
    #expect(kernel.shape == [3, 20])
    let values = try kernel.readFloats()
    #expect(values.count == 60)
    // Printed once with h5py.
    #expect(values[0] == 0.1189061775803566)
    #expect(values[1] == -0.5012500286102295)
    #expect(values[0 * 20 + 5] == -0.032678254)
    #expect(values[2 * 20 + 19] == 0.5464892)
    #expect(values[1 * 20 + 10] == 0.3219047)
    #expect(weights.kind(of: "lstm/lstm/lstm_cell") == .group)
    #expect(weights.kind(of: "lstm/lstm/lstm_cell/kernel:0") == .dataset)
    #expect(weights.kind(of: "lstm/nothing/here") == nil)
  }

  @Test("missing objects and wrong kinds are errors")
  func errors() throws {
    let root = try HDF5File(path: FixtureFiles.keras("k2_basic.h5").path).rootGroup()
    #expect(throws: HDF5Error.notFound(path: "/nope")) { try root.group("nope") }
    #expect(throws: HDF5Error.notFound(path: "/model_weights/lstm/missing")) {
      try root.group("model_weights/lstm").dataset("missing")
    }
    #expect(throws: HDF5Error.wrongObjectKind(path: "/model_weights", expected: "a dataset")) {
      try root.dataset("model_weights")
    }
    #expect(throws: HDF5Error.notFound(path: "/@nope")) { try root.stringAttribute("nope") }
  }

  @Test("opens an in-memory file image")
  func memoryImage() throws {
    let data = try Data(contentsOf: FixtureFiles.keras("k3_basic.h5"))
    let root = try HDF5File(image: data, name: "k3_basic.h5").rootGroup()
    #expect(try root.stringAttribute("keras_version") == "3.15.1")
    #expect(try root.group("model_weights/lstm").dataset("sequential/lstm/lstm_cell/kernel").shape == [3, 20])
  }

  @Test("refuses files that are not HDF5", arguments: ["random.bin", "truncated.h5", "empty.h5"])
  func notHDF5(name: String) throws {
    #expect(throws: HDF5Error.self) { try HDF5File(path: FixtureFiles.bad(name).path) }
    let data = try Data(contentsOf: FixtureFiles.bad(name))
    #expect(throws: HDF5Error.self) { try HDF5File(image: data, name: name) }
  }
}
