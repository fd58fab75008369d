import CanonicalModel
import Foundation
import Testing

@testable import CodeGen

/// The lowered context: weight layouts, key names, memory numbers.
@Suite struct Test_Lowering {
  static func parse(_ lines: [String]) -> [Float] {
    lines.joined(separator: " ").split(separator: ",").compactMap {
      Float($0.trimmingCharacters(in: .whitespaces).dropLast().description)
    }
  }

  /// The values of the weight table `symbol`.
  static func values(_ symbol: String, in context: CModelContext) -> [Float] {
    parse(context.tables.first { $0.symbol == symbol }?.lines ?? [])
  }

  /// The axpy layout (Swift's); C's row-block layouts hold the same values reordered (`TargetCoreLayoutTests`).
  @Test func theFusedKernelIsColumnMajorOverXAndH() throws {
    var builder = ModelBuilder(seed: 3)
    let lstm = builder.lstm(input: 3, hidden: 2, returnSequences: false, peepholes: true)
    let model = ModelBuilder.model(
      features: 3, layers: [Layer(name: "l", kind: .lstm(lstm))], outputs: [ModelOutput(name: "h", layer: 0)])
    var lowering = try CModelLowering(model: model, options: CGenerationOptions().withAxpyLayout)
    let context = try lowering.lower(testCases: [])
    let direction = context.layers[0].directions[0]
    let kernel = Self.values(direction.products.kernel.symbol, in: context)
    let bias = Self.values(try #require(direction.products.bias).symbol, in: context)
    let (inputs, hidden, gates) = (3, 2, 8)
    #expect(kernel.count == (inputs + hidden) * gates)
    for (g, gate) in [Gate.input, .forget, .cell, .output].enumerated() {
      for j in 0..<hidden {
        let weights = lstm.weights[gate]
        for k in 0..<inputs {
          let packed = kernel[k * gates + g * hidden + j]
          #expect(packed == weights.W.data[j * inputs + k])
        }
        for k in 0..<hidden {
          let packed = kernel[(inputs + k) * gates + g * hidden + j]
          #expect(packed == weights.U.data[j * hidden + k])
        }
        #expect(bias[g * hidden + j] == lstm.weights[gate].b.data[j])
      }
    }
    let cell = try #require(direction.lstm)
    let peephole = Self.values(try #require(cell.peepholeForget).symbol, in: context)
    #expect(peephole == lstm.weights.peepholes[.forget]?.data)
    #expect(cell.forgetOffset == 2 && cell.cellOffset == 4 && cell.outputOffset == 6)
    #expect(direction.gru == nil && direction.cellField != nil)
  }

  /// A GRU's kernel rows: input k into gates n, z, r; then h[k] into z, r, n. The bias is
  /// `[b_n, b_z, b_r, bU]` when resetting after the product, `[b_n + bU, b_z, b_r]` before.
  @Test(arguments: [true, false])
  func theGRUKernelPutsTheCandidateFirstForInputsAndLastForH(resetAfter: Bool) throws {
    var builder = ModelBuilder(seed: 5)
    let gru = builder.gru(input: 3, hidden: 2, returnSequences: false, resetAfter: resetAfter)
    let model = ModelBuilder.model(
      features: 3, layers: [Layer(name: "g", kind: .gru(gru))], outputs: [ModelOutput(name: "h", layer: 0)])
    var lowering = try CModelLowering(model: model, options: CGenerationOptions().withAxpyLayout)
    let context = try lowering.lower(testCases: [])
    let direction = context.layers[0].directions[0]
    let cell = try #require(direction.gru)
    let kernel = Self.values(direction.products.kernel.symbol, in: context)
    let bias = Self.values(try #require(direction.products.bias).symbol, in: context)
    let (inputs, hidden, row) = (3, 2, 6)
    #expect(direction.products.rowLength == row && kernel.count == (inputs + hidden) * row)
    #expect(direction.products.hiddenOffset == hidden)
    #expect(direction.products.hiddenWidth == (resetAfter ? 3 : 2) * hidden)
    #expect(cell.updateOffset == 2 && cell.resetOffset == 4 && cell.extraOffset == 6 && cell.candidateColumn == 4)
    #expect(direction.cellField == nil && direction.lstm == nil && direction.gateSize == 4 * hidden)
    for (g, gate) in [GRUGate.candidate, .update, .reset].enumerated() {
      for j in 0..<hidden {
        for k in 0..<inputs { #expect(kernel[k * row + g * hidden + j] == gru.weights[gate].W.data[j * inputs + k]) }
      }
    }
    for (g, gate) in [GRUGate.update, .reset, .candidate].enumerated() {
      for j in 0..<hidden {
        for k in 0..<hidden {
          #expect(kernel[(inputs + k) * row + g * hidden + j] == gru.weights[gate].U.data[j * hidden + k])
        }
      }
    }
    let bU = gru.weights.candidateRecurrentBias.data
    let candidate = gru.weights.candidate.b.data
    let expectedBias =
      resetAfter
      ? candidate + gru.weights.update.b.data + gru.weights.reset.b.data + bU
      : zip(candidate, bU).map { $0 + $1 } + gru.weights.update.b.data + gru.weights.reset.b.data
    #expect(bias == expectedBias)
    #expect(context.state.persistent.map(\.name) == ["l0_fwd_h", "l0_fwd_has_output"])
    #expect(context.state.recurrent[0].loads.count == 1 && !context.state.hasCellState)
  }

  @Test func theDenseKernelIsColumnMajor() throws {
    var builder = ModelBuilder(seed: 4)
    let dense = builder.dense(input: 3, units: 4)
    let model = ModelBuilder.model(
      features: 3, layers: [Layer(name: "d", kind: .dense(dense))], outputs: [ModelOutput(name: "y", layer: 0)])
    var lowering = try CModelLowering(model: model, options: CGenerationOptions())
    let context = try lowering.lower(testCases: [])
    let kernel = Self.values(try #require(context.layers[0].dense).kernel.symbol, in: context)
    for j in 0..<4 {
      for k in 0..<3 { #expect(kernel[k * 4 + j] == dense.kernel.data[j * 3 + k]) }
    }
  }

  @Test func noContextKeyIsCountFirstOrLast() throws {
    var keys = Set<String>()
    func walk(_ value: Any) {
      if let dictionary = value as? [String: Any] {
        for (key, child) in dictionary {
          keys.insert(key)
          walk(child)
        }
      } else if let array = value as? [Any] {
        array.forEach(walk)
      }
    }
    for (fixture, modelFile) in try Repository.manifest().prefix(20) {
      let model = try KerasFixture.model(modelFile)
      var lowering = try CModelLowering(model: model, options: CGenerationOptions())
      let context = try lowering.lower(testCases: [try KerasFixture.testCase(fixture, for: model)])
      walk(try ContextEncoding.dictionary(context))
    }
    #expect(keys.isDisjoint(with: ["count", "first", "last"]))
    #expect(keys.contains("stepOperations") && keys.contains("sequenceOperations"))
  }

  @Test func theMemoryReportIsSizeofTheState() throws {
    let fixtures = ["k2_basic", "k2_bidi_pair_a", "k2_masking_bidi", "k2_embedding_mask", "k3_state_seq"]
    let folder = try TemporaryFolder()
    var program = "#include <stdio.h>\n"
    var body = ""
    var expected: [String] = []
    for (index, fixture) in fixtures.enumerated() {
      let entry = try #require(try Repository.manifest().first { $0.fixture == fixture + ".fixture.json" })
      let model = try KerasFixture.model(entry.model)
      let options = CGenerationOptions(name: "m\(index)", maxSteps: 37)
      try folder.write(try CCodeGenerator.generate(model, testCases: [], options: options))
      let report = try CCodeGenerator.memoryReport(for: model, options: options)
      #expect(
        report.stateStructBytes == report.stateBytes + report.scratchBytes + report.bufferBytes
          + (4 - (report.bufferBytes % 4)) % 4)
      expected.append("\(report.stateStructBytes)")
      program += "#include \"m\(index).h\"\n"
      body += "    printf(\"%lu\\n\", (unsigned long)sizeof(m\(index)_state_t));\n"
    }
    try folder.write([
      GeneratedFile(name: "size.c", contents: program + "int main(void)\n{\n" + body + "    return 0;\n}\n")
    ])
    let compiled = try Host.compile(["size.c"], into: "size", in: folder.url)
    try #require(compiled.status == 0, "\(compiled.error)")
    let result = try Host.run(folder.url.appendingPathComponent("size").path, [])
    #expect(result.output.split(separator: "\n").map(String.init) == expected)
  }

  @Test func measuredNumbersReplaceThePlaceholders() throws {
    let model = try KerasFixture.model("k2_basic.h5")
    let placeholder = try CCodeGenerator.generate(model, testCases: [], options: CGenerationOptions())[0].contents
    #expect(
      placeholder.contains("code           (not measured: lstmc measures it when arm-none-eabi-gcc is installed)"))
    #expect(
      placeholder.contains("stack          (not measured: lstmc measures it when arm-none-eabi-gcc is installed)"))
    let measured = try CCodeGenerator.generate(
      model, testCases: [], options: CGenerationOptions(codeBytes: 1234, stackBytes: 96, stepStackBytes: 72))[0]
      .contents
    #expect(measured.contains("code           1234  machine code of model.c"))
    #expect(measured.contains("stack          96  model_predict, worst call path"))
    #expect(measured.contains("stack          72  model_step, worst call path"))
    #expect(!measured.contains("not measured"))
    let report = try CCodeGenerator.memoryReport(for: model, options: CGenerationOptions(codeBytes: 1234))
    #expect(report.codeBytes == 1234)
    #expect(report.weightsBytes == 4 * (192 + 5))  // the parameters and the zero vector
    #expect(report.stateBytes == 4 * (5 + 5 + 1))
  }
}
