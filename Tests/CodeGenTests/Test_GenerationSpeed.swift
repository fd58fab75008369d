import CanonicalModel
import CodeGen
import Foundation
import Testing

/// A model of about a million parameters generates in seconds.
@Suite struct Test_GenerationSpeed {
  @Test func aMillionParametersGenerateQuickly() throws {
    var builder = ModelBuilder(seed: 11)
    let model = ModelBuilder.model(
      features: 256,
      layers: [
        Layer(name: "lstm", kind: .lstm(builder.lstm(input: 256, hidden: 384, returnSequences: false))),
        Layer(name: "dense", kind: .dense(builder.dense(input: 384, units: 10, activation: .softmax))),
      ], outputs: [ModelOutput(name: "dense", layer: 1)])
    #expect(model.parameterCount > 980_000)
    let start = Test_SwiftGenerationSpeed.threadCPUSeconds()
    let files = try CCodeGenerator.generate(model, testCases: [], options: CGenerationOptions())
    let seconds = Test_SwiftGenerationSpeed.threadCPUSeconds() - start
    print("generated \(model.parameterCount) parameters in \(String(format: "%.2f", seconds)) s of CPU")
    // A guard against superlinear blow-ups, not a timing claim; CPU seconds, so a loaded machine
    // does not trip it.
    #expect(seconds < 120, "generation took \(seconds) s")
    let source = try #require(files.first { $0.name == "model.c" })
    #expect(source.contents.contains("static const float model_l0_fwd_kernel[983040] = {"))
  }
}
