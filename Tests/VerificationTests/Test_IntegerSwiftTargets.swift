import CanonicalModel
import CodeGen
import FixtureFormat
import Foundation
import Quantization
import Targets
import Testing
import Verification

/// Generated integer Swift against the integer reference, bit for bit. To keep CI cheap the host
/// matrix (``matrix``: LSTM, GRU and Embedding models in int8x8_16 and int16x8_16) is ONE program: the
/// nine models' Swift and a harness that runs `predictQ`, `stepQ`, `predict` and `step` and prints every value; `verify
/// --target swift` runs once (`--abs 0 --rel 0`), and `swift-cortex-m4` once (Embedded Swift, where
/// only the final float softmax may differ by an ulp: newlib's expf, as for integer C).
@Suite struct IntegerSwiftTargetsTests {
  typealias Shape = IntegerCTargetsTests.Shape

  static var hasSwiftc: Bool { (try? VerificationTarget.swift.requireTools()) != nil }

  typealias Case = IntegerCTargetsTests.Case

  /// The host matrix, granularities alternating: the int8x8_16 LSTM shapes, the GRU shapes (streaming: reset
  /// after → TD relu → reset before with clip; buffered: Bidirectional reset before → backward reset
  /// after with clip), and int16x8_16 on an LSTM and a GRU with a wide
  /// (Int64) matrix each and on the buffered GRU; the Embedding model (Embedding → GRU → LSTM → Dense
  /// softmax) in both schemes, whose bad indices must return `.badIndex` from all four calls.
  static let matrix: [Case] =
    [
      Case(shape: .streaming, granularity: .perChannel),
      Case(shape: .buffered, granularity: .perTensor),
      Case(shape: .streamingGRU, granularity: .perChannel),
      Case(shape: .bufferedGRU, granularity: .perTensor),
      Case(shape: .streaming, granularity: .perTensor, scheme: .int16x8_16, wide: true),
      Case(shape: .streamingGRU, granularity: .perChannel, scheme: .int16x8_16, wide: true),
      Case(shape: .bufferedGRU, granularity: .perChannel, scheme: .int16x8_16),
      Case(shape: .embedding, granularity: .perChannel),
      Case(shape: .embedding, granularity: .perTensor, scheme: .int16x8_16),
    ]

  /// The generated name of case `c`: `q_streaming_channel`, `q_streamingGRU_channel_16_wide`.
  static func name(_ c: Case) -> String {
    "q_\(c.shape.rawValue)_\(c.granularity == .perChannel ? "channel" : "tensor")"
      + (c.scheme == .int16x8_16 ? "_16" : "") + (c.wide ? "_wide" : "")
  }

  /// The Swift element type of integer codes.
  static func swiftType(_ type: IntegerElementType) -> String {
    switch type {
    case .int8: "Int8"
    case .int16: "Int16"
    case .int32: "Int32"
    }
  }

  /// A Swift array literal of `values`.
  static func literal<T>(_ values: [T]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }

  /// The harness's code for one model `name` (type `typeName`): every sample through the integer API
  /// (`predictQ`, and `stepQ` step by step when it streams) and the float API, printing
  /// `<api> <name> <output> v0 v1 ...` (integers as codes, floats as bit patterns), batch first.
  static func harness(name: String, model: Model, input: Tensor, codes: IntegerTensor) throws -> String {
    let type = SwiftCodeGenerator.typeName(name)
    let (batch, steps, features) = (input.shape[0], input.shape[1], input.shape.count == 3 ? input.shape[2] : 1)
    let perSample = steps * features
    let streams = CCodeGenerator.canStream(model)
    let reference = try IntegerInterpreter(model: model).runIntegers(codes)
    // Output k: its element type in the integer API, values per step or sequence, and whether a sequence.
    let outputs = reference.enumerated().map { k, tensor in
      (
        k: k, type: swiftType(tensor.elementType), size: tensor.shape.last ?? 1,
        sequence: tensor.shape.count == 3
      )
    }
    func allocations(_ element: (Int) -> String, _ count: (Int, Int, Bool) -> String) -> String {
      outputs.map { o in
        "    let o\(o.k) = UnsafeMutableBufferPointer<\(element(o.k))>.allocate(capacity: \(count(o.k, o.size, o.sequence)))\n"
          + "    o\(o.k).initialize(repeating: 0)\n"
      }.joined()
    }
    // Embedding indices are the float API's input too.
    let floats =
      codes.elementType == .int32
      ? "let input = codes"
      : "let bits: [UInt32] = \(literal(input.data.map(\.bitPattern)))\n    let input = bits.map { Float(bitPattern: $0) }"
    var text = """
      func run_\(name)() {
          let codes: [\(swiftType(codes.elementType))] = \(literal(codes.data))
          \(floats)
          var model = \(type)()

      """
    // predictQ and predict, sample by sample, into whole-batch buffers.
    for api in ["q", "f"] {
      let element: (Int) -> String = { api == "q" ? outputs[$0].type : "Float" }
      text += "    do {\n"
      text += allocations(element) { _, size, sequence in "\(batch * (sequence ? steps : 1) * size)" }
      text += "        for b in 0..<\(batch) {\n"
      for o in outputs {
        let per = o.sequence ? steps * o.size : o.size
        text +=
          "            let s\(o.k) = UnsafeMutableBufferPointer(rebasing: o\(o.k)[(b * \(per))..<((b + 1) * \(per))])\n"
      }
      let samples = api == "q" ? "codes" : "input"
      text += "            let status = \(samples).withUnsafeBufferPointer { all in\n"
      text +=
        "                model.\(api == "q" ? "predictQ" : "predict")(UnsafeBufferPointer(rebasing: all[(b * \(perSample))..<((b + 1) * \(perSample))]), steps: \(steps), \(outputs.map { "s\($0.k)" }.joined(separator: ", ")))\n"
      text += "            }\n"
      text += "            precondition(status == .ok)\n"
      text += "        }\n"
      for o in outputs {
        text += "        show(\"\(api) \(name) \(o.k)\", o\(o.k))\n"
      }
      text += "    }\n"
      guard streams else { continue }
      // stepQ and step: a sequence output's value at every step; the others after the last step.
      text += "    do {\n"
      text += allocations(element) { _, size, sequence in "\(batch * (sequence ? steps : 1) * size)" }
      text += "        for b in 0..<\(batch) {\n"
      text += "            model.reset()\n"
      text += "            for t in 0..<\(steps) {\n"
      for o in outputs {
        let offset = o.sequence ? "(b * \(steps) + t) * \(o.size)" : "b * \(o.size)"
        text +=
          "                let s\(o.k) = UnsafeMutableBufferPointer(rebasing: o\(o.k)[(\(offset))..<(\(offset) + \(o.size))])\n"
      }
      text += "                let status = \(api == "q" ? "codes" : "input").withUnsafeBufferPointer { all in\n"
      text +=
        "                    model.\(api == "q" ? "stepQ" : "step")(UnsafeBufferPointer(rebasing: all[((b * \(steps) + t) * \(features))..<((b * \(steps) + t + 1) * \(features))]), \(outputs.map { "s\($0.k)" }.joined(separator: ", ")))\n"
      text += "                }\n"
      text += "                precondition(status == .ok)\n"
      text += "            }\n"
      text += "        }\n"
      for o in outputs {
        text += "        show(\"s\(api) \(name) \(o.k)\", o\(o.k))\n"
      }
      text += "    }\n"
    }
    if codes.elementType == .int32 {
      // An index outside the vocabulary (and a negative one) is `.badIndex` from every call; a good one is not.
      let outputs = outputs.map { "UnsafeMutableBufferPointer<\($0.type)>.allocate(capacity: \(steps * $0.size))" }
      let floats = outputs.map {
        $0.replacingOccurrences(of: "<Int8>", with: "<Float>").replacingOccurrences(of: "<Int16>", with: "<Float>")
      }
      text += """
            let bad: [Int32] = [1, Int32(\(type).vocabulary), 2]
            let negative: [Int32] = [-1]
            var statuses: [Int32] = []
            bad.withUnsafeBufferPointer { bad in
                negative.withUnsafeBufferPointer { negative in
                    statuses.append(model.predictQ(bad, steps: 3, \(outputs.joined(separator: ", "))).rawValue)
                    statuses.append(model.predict(bad, steps: 3, \(floats.joined(separator: ", "))).rawValue)
                    statuses.append(model.stepQ(UnsafeBufferPointer(rebasing: bad[1...]), \(outputs.joined(separator: ", "))).rawValue)
                    statuses.append(model.step(negative, \(floats.joined(separator: ", "))).rawValue)
                    statuses.append(model.predictQ(bad, steps: 1, \(outputs.joined(separator: ", "))).rawValue)
                }
            }
            print("b \(name) 0 " + statuses.map { String($0) }.joined(separator: " "))

        """
    }
    return text + "}\n"
  }

  /// The four models, their Swift and one harness, built with one `swiftc -O`; every line the program
  /// prints is compared with the integer reference (codes) and its float boundary (bit patterns).
  @Test(.enabled(if: hasSwiftc)) func hostSwiftMatrixIsBitExactWithTheIntegerReference() throws {
    let folder = try CBuildSupport.scratch("integer-swift-matrix")
    defer { CBuildSupport.remove(folder) }
    var sources: [String] = []
    var main = """
      func show<T: BinaryInteger>(_ tag: String, _ values: UnsafeMutableBufferPointer<T>) {
          print(tag + " " + values.map { String($0) }.joined(separator: " "))
      }
      func show(_ tag: String, _ values: UnsafeMutableBufferPointer<Float>) {
          print(tag + " " + values.map { String($0.bitPattern) }.joined(separator: " "))
      }

      """
    var expected: [String: [String]] = [:]
    for c in Self.matrix {
      let name = Self.name(c)
      let model = try IntegerCTargetsTests.model(c)
      let fixture = try IntegerCTargetsTests.referenceFixture(model).inputs[0]
      let input = Tensor(shape: fixture.shape, data: fixture.values.map { Float($0) })
      let reference = try IntegerInterpreter(model: model)
      let codes = reference.quantizeInput(input)
      let integers = try reference.runIntegers(codes)
      let floats = try reference.run([input])
      for (k, tensor) in integers.enumerated() {
        let line = tensor.data.map(String.init).joined(separator: " ")
        expected["q \(name) \(k)"] = [line]
        expected["sq \(name) \(k)"] = CCodeGenerator.canStream(model) ? [line] : nil
      }
      for (k, tensor) in floats.enumerated() {
        let line = tensor.data.map { String($0.bitPattern) }.joined(separator: " ")
        expected["f \(name) \(k)"] = [line]
        expected["sf \(name) \(k)"] = CCodeGenerator.canStream(model) ? [line] : nil
      }
      if codes.elementType == .int32 { expected["b \(name) 0"] = ["3 3 3 3 0"] }
      let files = try SwiftCodeGenerator.generate(model, testCases: [], options: CGenerationOptions(name: name))
      sources += try files.map { try CBuildSupport.write($0.contents, to: $0.name, in: folder).path }
      main += try Self.harness(name: name, model: model, input: input, codes: codes)
    }
    main += Self.matrix.map { "run_\(Self.name($0))()\n" }.joined()
    sources.append(try CBuildSupport.write(main, to: "main.swift", in: folder).path)
    let swiftc = try ToolLocator.require(GeneratedSwiftRun.swiftc)
    _ = try IntegerCTargetsTests.run(swiftc.path, ["-O"] + sources + ["-lm", "-o", "matrix"], in: folder)
    let output = try IntegerCTargetsTests.run("./matrix", [], in: folder)
    var lines: [String: String] = [:]
    for line in output.split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 3)
      guard parts.count == 4 else { continue }
      lines["\(parts[0]) \(parts[1]) \(parts[2])"] = String(parts[3])
    }
    #expect(lines.count == expected.count, "\(lines.keys.sorted()) vs \(expected.keys.sorted())")
    for (key, values) in expected.sorted(by: { $0.key < $1.key }) {
      #expect(lines[key] == values[0], "\(key): Swift \(lines[key] ?? "nothing") reference \(values[0])")
    }
    // The comparison can fail: the reference with one code moved by one is caught.
    let key = "q q_streaming_channel 1"
    var moved = expected[key]![0].split(separator: " ").map { Int($0)! }
    moved[1] += moved[1] < 127 ? 1 : -1
    #expect(lines[key] != moved.map(String.init).joined(separator: " "))
  }

  /// `verify --target swift` on a quantized model against the integer reference's fixture, tolerance 0.
  @Test(.enabled(if: hasSwiftc)) func verifyOnHostSwiftPassesWithZeroTolerance() throws {
    let model = try IntegerCTargetsTests.model(.buffered, .perChannel)
    let fixture = try IntegerCTargetsTests.referenceFixture(model)
    let report = try IntegerCTargetsTests.verify(model, fixture, on: .swift)
    #expect(report.passed, "\(report.outputs.map(\.maxAbsError))")
  }

  /// `verify --target swift-cortex-m4` (Embedded Swift under qemu): every output bit-exact but the
  /// final softmax, which runs in float on newlib's expf (within 1e-6 relative; a different int8 logit
  /// would move a probability by ~1e-2).
  @Test(.enabled(if: hasSwiftc && (CBuildSupport.canRunCortexM || CBuildSupport.cortexMRequired)))
  func embeddedSwiftOnCortexM4IsBitExactWithTheIntegerReference() throws {
    let model = try IntegerCTargetsTests.model(.streaming, .perChannel)
    let fixture = try IntegerCTargetsTests.referenceFixture(model)
    let report = try IntegerCTargetsTests.verify(model, fixture, on: .swiftCortexM4)
    for (output, comparison) in zip(model.outputs, report.outputs) {
      if output.layer == model.layers.count - 1 {
        #expect(comparison.maxRelError <= 1e-6, "\(output.name): \(comparison.maxRelError)")
      } else {
        #expect(comparison.maxAbsError == 0, "\(output.name): \(comparison.maxAbsError)")
      }
    }
  }

  /// The integer API is integer-only and allocation-free in Embedded Swift: built with `-no-allocations`
  /// for a Cortex-M with a soft-float ABI and `-D QM_INTEGER_ONLY`, the object calls no soft-float
  /// routine (`__aeabi_f*`, `__aeabi_d*`) and no libm; with the float API it does (so the check can fail).
  /// This is also the only test that builds the GRU, int16x8_16 and Embedding Swift with `-no-allocations`.
  @Test(.enabled(if: hasSwiftc && (CBuildSupport.hasArmCompiler || CBuildSupport.cortexMRequired)))
  func integerAPIInEmbeddedSwiftHasNoFloatingPointAndNoAllocation() throws {
    let folder = try CBuildSupport.scratch("integer-swift-objects")
    defer { CBuildSupport.remove(folder) }
    // Two models in one object (one compile): an int8 LSTM, and the int16 Embedding → GRU → LSTM → Dense
    // softmax model with a wide (Int64) matrix.
    let models: [(String, Case)] = [
      ("qm", Case(shape: .streaming, granularity: .perChannel)),
      ("qe", Case(shape: .embedding, granularity: .perChannel, scheme: .int16x8_16, wide: true)),
    ]
    var sources: [String] = []
    for (name, c) in models {
      let model = try IntegerCTargetsTests.model(c)
      let files = try SwiftCodeGenerator.generate(model, testCases: [], options: CGenerationOptions(name: name))
      sources.append(try CBuildSupport.write(files[0].contents, to: files[0].name, in: folder).path)
      #expect(files[0].contents.contains("\(name)_dot_wide(w,") == c.wide, "\(name): Int64 sums")
    }
    let swiftc = try ToolLocator.require(GeneratedSwiftRun.swiftc).path
    let flags =
      [
        "-enable-experimental-feature", "Embedded", "-wmo", "-Osize", "-parse-as-library", "-Xfrontend",
        "-no-allocations", "-target", "armv7em-none-none-eabi", "-Xcc", "-mfloat-abi=soft", "-c",
      ] + sources
    func floatCalls(_ extra: [String], _ object: String) throws -> [String] {
      _ = try IntegerCTargetsTests.run(swiftc, flags + extra + ["-o", object], in: folder)
      let symbols = try IntegerCTargetsTests.run("arm-none-eabi-nm", ["-u", object], in: folder)
        .split(separator: "\n").map { String($0.split(separator: " ").last ?? "") }
      return symbols.filter { ["__aeabi_f", "__aeabi_d", "expf", "round"].contains(where: $0.hasPrefix) }
    }
    let integerOnly = try floatCalls(models.flatMap { ["-D", "\($0.0.uppercased())_INTEGER_ONLY"] }, "integer.o")
    #expect(integerOnly.isEmpty, "\(integerOnly)")
    let withFloat = try floatCalls([], "float.o")
    #expect(!withFloat.isEmpty, "\(withFloat)")
  }
}
