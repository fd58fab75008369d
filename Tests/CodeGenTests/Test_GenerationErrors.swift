import CanonicalModel
import CodeGen
import Foundation
import Testing

/// Bad names, options, models, test cases and templates are errors with actionable messages.
@Suite struct Test_GenerationErrors {
  static func basic() throws -> Model { try KerasFixture.model("k2_basic.h5") }

  @Test(arguments: ["", "9lives", "a-b", "_model", "model name", "caf\u{e9}", String(repeating: "x", count: 65)])
  func badNamesAreRefused(name: String) throws {
    #expect(throws: CodeGenError.invalidName(name)) {
      try CCodeGenerator.generate(try Self.basic(), testCases: [], options: CGenerationOptions(name: name))
    }
    #expect(CodeGenError.invalidName(name).description.contains("C identifier"))
  }

  @Test(arguments: ["m", "Model2", "kws_lstm_v3", String(repeating: "x", count: 64)])
  func goodNamesPrefixEverySymbol(name: String) throws {
    let files = try CCodeGenerator.generate(try Self.basic(), testCases: [], options: CGenerationOptions(name: name))
    #expect(files.map(\.name) == ["\(name).h", "\(name).c"])
    let header = files[0].contents
    #expect(header.contains("\(name)_status_t \(name)_predict("))
    #expect(header.contains("#define \(name.uppercased())_INPUT_SIZE 3"))
  }

  @Test(arguments: [0, -1, CGenerationOptions.maxStepsLimit + 1])
  func badMaxStepsAreRefused(steps: Int) throws {
    #expect(throws: CodeGenError.invalidMaxSteps(steps)) {
      try CCodeGenerator.generate(try Self.basic(), testCases: [], options: CGenerationOptions(maxSteps: steps))
    }
  }

  @Test func aStateTooLargeForCIsRefused() throws {
    // A backward LSTM makes the model buffer; 1,000,000 steps of 600 + 2 features need 2.4 GB.
    var builder = ModelBuilder(seed: 5)
    let model = ModelBuilder.model(
      features: 2,
      layers: [
        Layer(
          name: "back", kind: .lstm(builder.lstm(input: 2, hidden: 2, direction: .backward, returnSequences: true))),
        Layer(name: "wide", kind: .timeDistributedDense(builder.dense(input: 2, units: 600))),
      ], outputs: [ModelOutput(name: "wide", layer: 1)])
    var options = CGenerationOptions(maxSteps: CGenerationOptions.maxStepsLimit)
    do {
      _ = try CCodeGenerator.memoryReport(for: model, options: options)
      Issue.record("a 2.4 GB state was accepted")
    } catch CodeGenError.stateTooLarge(let bytes, let maxSteps) {
      #expect(bytes > 2_400_000_000 && maxSteps == CGenerationOptions.maxStepsLimit)
    }
    options.maxSteps = 4
    #expect(try CCodeGenerator.memoryReport(for: model, options: options).bufferBytes == 4 * (2 + 600) * 4)
  }

  @Test func unsupportedAndInvalidModels() throws {
    var twoInputs = try Self.basic()
    twoInputs.inputs.append(twoInputs.inputs[0])
    #expect(throws: CodeGenError.self) { try CCodeGenerator.generate(twoInputs, testCases: [], options: .init()) }
    do {
      _ = try CCodeGenerator.generate(twoInputs, testCases: [], options: .init())
    } catch let error as CodeGenError {
      guard case .unsupportedModel(let reason) = error else { throw error }
      #expect(reason.contains("2 data inputs"))
    }

    let vector = Model(
      inputs: [ModelInput(name: "v", elementType: .float32, shape: [nil, 3])],
      layers: [Layer(name: "act", kind: .activation(.relu))], outputs: [ModelOutput(name: "y", layer: 0)],
      source: ModelSource(format: "test", framework: "test", file: "v"))
    #expect(throws: CodeGenError.self) { try CCodeGenerator.generate(vector, testCases: [], options: .init()) }

    var broken = try Self.basic()
    broken.outputs[0].layer = 7
    do {
      _ = try CCodeGenerator.generate(broken, testCases: [], options: .init())
      Issue.record("an invalid model was accepted")
    } catch let error as CodeGenError {
      guard case .invalidModel(let reason) = error else { throw error }
      #expect(reason.contains("refers to layer 7"))
    }
  }

  /// What stays unsupported of ONNX's extra inputs is refused in one line naming the output or layer.
  @Test func sequenceLengthsTheGeneratorCannotHonourAreRefused() throws {
    var builder = ModelBuilder(seed: 11)
    let lengths = ModelInput(name: "lens", elementType: .int32, shape: [nil], role: .sequenceLengths)
    // A Dense after the LSTM computes values past a sample's length that generated code never runs.
    var dense = ModelBuilder.model(
      features: 2,
      layers: [
        Layer(
          name: "rnn", kind: .lstm(builder.lstm(input: 2, hidden: 3, returnSequences: true, zeroOutputForMask: true))),
        Layer(name: "head", kind: .timeDistributedDense(builder.dense(input: 3, units: 2))),
      ], outputs: [ModelOutput(name: "y", layer: 1)])
    dense.inputs.append(lengths)
    do {
      _ = try CCodeGenerator.generate(dense, testCases: [], options: .init())
      Issue.record("a Dense output with sequence lengths was accepted")
    } catch CodeGenError.unsupportedModel(let reason) {
      #expect(reason.contains("output 'y' of layer 'head'") && reason.contains("sequence-lengths input"))
    }
    // The same model with the LSTM's sequence as the output is fine.
    dense.outputs = [ModelOutput(name: "y", layer: 0)]
    _ = try CCodeGenerator.generate(dense, testCases: [], options: .init())

    // Constant lengths on a layer another recurrent layer reads.
    var first = builder.lstm(input: 2, hidden: 3, returnSequences: true, zeroOutputForMask: true)
    first.sequenceLengths = Tensor(shape: [1], data: [2])
    let stacked = ModelBuilder.model(
      features: 2,
      layers: [
        Layer(name: "first", kind: .lstm(first)),
        Layer(name: "second", kind: .lstm(builder.lstm(input: 3, hidden: 2, returnSequences: false))),
      ], outputs: [ModelOutput(name: "y", layer: 1)])
    do {
      _ = try CCodeGenerator.generate(stacked, testCases: [], options: .init())
      Issue.record("constant lengths before another recurrent layer were accepted")
    } catch CodeGenError.unsupportedModel(let reason) {
      #expect(reason.contains("layer 'first' has constant sequence lengths") && reason.contains("'second'"))
    }
  }

  @Test func testCasesMustFitTheModel() throws {
    let model = try Self.basic()
    let good = try KerasFixture.testCase("k2_basic.fixture.json", for: model)
    func reason(_ testCase: CTestCase, maxSteps: Int = 128, model: Model? = nil) throws -> String? {
      do {
        _ = try CCodeGenerator.generate(
          model ?? (try Self.basic()), testCases: [testCase], options: CGenerationOptions(maxSteps: maxSteps))
        return nil
      } catch CodeGenError.invalidTestCase(let name, let reason) {
        #expect(name == testCase.name)
        return reason
      }
    }
    var wrongFeatures = good
    wrongFeatures.inputs = [Tensor(shape: [2, 10, 4], repeating: 0)]
    #expect(try reason(wrongFeatures)?.contains("[batch, steps, 3]") == true)
    var missingOutput = good
    missingOutput.expected = []
    #expect(try reason(missingOutput)?.contains("0 expected outputs") == true)
    var wrongShape = good
    wrongShape.expected = [Tensor(shape: [2, 3], repeating: 0)]
    #expect(try reason(wrongShape)?.contains("[2, 2]") == true)

    // A model that buffers cannot take more steps than --max-steps.
    let bidi = try KerasFixture.model("k2_bidi_pair_a.h5")
    let long = try KerasFixture.testCase("k2_bidi_pair_a.fixture.json", for: bidi)
    #expect(try reason(long, maxSteps: 4, model: bidi)?.contains("raise --max-steps") == true)
    #expect(try reason(long, maxSteps: 10, model: bidi) == nil)

    let embedding = try KerasFixture.model("k2_embedding_mask.h5")
    var fractional = try KerasFixture.testCase("k2_embedding_mask.fixture.json", for: embedding)
    fractional.inputs[0].data[0] = 1.5
    #expect(try reason(fractional, model: embedding)?.contains("not an index") == true)
  }

  @Test func missingTemplatesFolder() throws {
    let options = CGenerationOptions(templatesDirectory: URL(fileURLWithPath: "/nonexistent/templates"))
    #expect(throws: CodeGenError.templatesNotFound(path: "/nonexistent/templates")) {
      try CCodeGenerator.generate(try Self.basic(), testCases: [], options: options)
    }
  }

  @Test func userTemplatesOverrideTheBundledOnes() throws {
    let folder = try TemporaryFolder()
    try Data("/* {{ name }}: {{ layers.count }} layers, {{ outputs.0.name }} */\n".utf8)
      .write(to: folder.url.appendingPathComponent("header.h.stencil"))
    let files = try CCodeGenerator.generate(
      try Self.basic(), testCases: [], options: CGenerationOptions(name: "kws", templatesDirectory: folder.url))
    #expect(files[0].contents == "/* kws: 2 layers, dense */\n")
    #expect(files[1].contents.contains("kws_status_t kws_predict("))  // from the bundled source.c.stencil
  }

  @Test func aBrokenTemplateNamesItself() throws {
    let folder = try TemporaryFolder()
    try Data("{% if name %}unterminated\n".utf8).write(to: folder.url.appendingPathComponent("source.c.stencil"))
    do {
      _ = try CCodeGenerator.generate(
        try Self.basic(), testCases: [], options: CGenerationOptions(templatesDirectory: folder.url))
      Issue.record("a broken template rendered")
    } catch CodeGenError.templateFailed(let template, let reason) {
      #expect(template == "source.c.stencil")
      #expect(!reason.isEmpty)
    }
  }
}
