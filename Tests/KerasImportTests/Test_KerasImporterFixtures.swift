import CanonicalModel
import Foundation
import Testing

@testable import KerasImport

@Suite("Every Keras fixture model imports")
struct Test_KerasImporterFixtures {
  static let entries = FixtureFiles.manifest()

  @Test("the manifest lists the generated models")
  func manifestIsThere() {
    #expect(Self.entries.count >= 40, "run Fixtures/generate.py")
  }

  @Test("imports, validates, and matches the fixture's names and shapes", arguments: entries)
  func importsFixture(entry: FixtureFiles.ManifestEntry) throws {
    let url = FixtureFiles.keras(entry.model)
    let model = try KerasImporter.importModel(at: url)
    try model.validate()
    let fixture = try FixtureFiles.fixture(entry.fixture)

    // Source.
    let container = entry.format == "keras" ? "keras" : "h5"
    #expect(model.source.format == "keras\(entry.keras)-\(container)")
    #expect(model.source.framework == "\(fixture.producer.framework) \(fixture.producer.version)")
    #expect(model.source.file == url.relativePath)

    // Inputs: name, element type, per-sample shape.
    #expect(model.inputs.map(\.name) == fixture.inputs.map(\.name))
    let input = try #require(model.inputs.first)
    let fixtureInput = try #require(fixture.inputs.first)
    #expect(input.elementType == (fixtureInput.dtype == "int32" ? .int32 : .float32))
    #expect(input.shape.count == fixtureInput.shape.count)
    for (declared, actual) in zip(input.shape.dropFirst(), fixtureInput.shape.dropFirst()) {
      if let declared { #expect(declared == actual) }
    }

    // Outputs: names in Keras's order, per-sample shapes.
    #expect(model.outputs.map(\.name) == fixture.outputs.map(\.name))
    let shapes = try model.outputShapes()
    for (shape, output) in zip(shapes, fixture.outputs) {
      #expect(shape.count == output.shape.count, "\(output.name)")
      for (declared, actual) in zip(shape.dropFirst(), output.shape.dropFirst()) {
        if let declared { #expect(declared == actual, "\(output.name)") }
      }
    }

    // Every canonical layer names the Keras layer it came from.
    for layer in model.layers {
      #expect(layer.origin.name == layer.name)
      #expect(!layer.origin.className.isEmpty)
    }
  }
}

@Suite("Imported weights reproduce Keras's predictions")
struct Test_KerasImporterPredictions {
  @Test(
    "an independent forward pass over the imported model matches the fixture",
    arguments: Test_KerasImporterFixtures.entries)
  func predictions(entry: FixtureFiles.ManifestEntry) throws {
    let model = try KerasImporter.importModel(at: FixtureFiles.keras(entry.model))
    let fixture = try FixtureFiles.fixture(entry.fixture)
    let input = try #require(fixture.inputs.first)
    var pass = ReferenceForwardPass(model: model)
    let outputs = pass.run(input: input.data, shape: input.shape)
    #expect(outputs.count == fixture.outputs.count)
    for (actual, expected) in zip(outputs, fixture.outputs) {
      #expect(actual.count == expected.data.count, "\(expected.name)")
      var worst = 0.0
      var worstIndex = -1
      for (index, (a, e)) in zip(actual, expected.data).enumerated() {
        let excess = abs(a - e) - (fixture.tolerance.abs + fixture.tolerance.rel * abs(e))
        if excess > worst {
          worst = excess
          worstIndex = index
        }
      }
      #expect(worstIndex < 0, "\(expected.name): element \(worstIndex) off by \(worst) beyond tolerance")
    }
  }
}
