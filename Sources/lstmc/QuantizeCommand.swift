import ArgumentParser
import CanonicalModel
import FixtureFormat
import Foundation
import Interpreter
import Quantization
import Verification

/// `lstmc quantize MODEL --calibrate DATA... -o OUT.safetensors [--scheme S] [--per-tensor] [--json]`.
struct QuantizeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "quantize",
    abstract: "Quantize a model to integers, calibrated on data, and report what it cost.",
    discussion: """
      Runs the float interpreter over every calibration sequence to record value ranges, writes the quantized \
      canonical model (every other command accepts it; run and verify use the integer reference), and prints the \
      per-layer ranges and the error of the quantized model against the float model on the calibration data.
      """)

  @Argument(help: ModelLoader.argumentHelp)
  var model: String

  @Option(
    name: .customLong("calibrate"), parsing: .upToNextOption,
    help: ArgumentHelp(
      "Calibration data: lstmc-fixture-1 files or ONNX test_data_set_N folders (their inputs), or NumPy .npy arrays "
        + "[batch, time, features]; one or more."))
  var calibration: [String] = []

  @Option(name: .shortAndLong, help: "The .safetensors file to write (written atomically).")
  var output: String

  @Option(
    help: "int8x8_16 (TensorFlow Lite Micro / CMSIS-NN arrangement) or int16x8_16 (int16 symmetric activations).")
  var scheme: QuantizationScheme = .int8x8_16

  @Flag(help: "One weight scale per gate matrix instead of one per output row.")
  var perTensor = false

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var bind: BindOptions

  func validate() throws {
    guard !calibration.isEmpty else { throw ValidationError("Missing expected argument '--calibrate <data>'.") }
  }

  struct DirectionRange: Encodable {
    var direction: String
    var cellMaxAbs: Float
    var cellFractionBits: Int
  }

  struct LayerRange: Encodable {
    var name: String
    var kind: String
    var range: [Float]
    var scale: Float
    var zeroPoint: Int32
    var directions: [DirectionRange]
  }

  struct Result: Encodable {
    var model: String
    var output: String
    var scheme: String
    var granularity: String
    var sequences: Int
    var input: [Float]
    var bytes: [String: Int]
    var layers: [LayerRange]
    var error: [ErrorStatistics]
  }

  func run() throws {
    let bound = try Diagnostics.reporting(file: model) { try ModelLoader.loadBound(model, bindings: bind.bindings) }
    var loaded = bound.model
    loaded.quantization = nil  // a quantized model is re-quantized from its float layers
    let quantizer = Quantizer(scheme: scheme, granularity: perTensor ? .perTensor : .perChannel)
    try Diagnostics.reporting(file: model) { try quantizer.checkSupported(loaded) }
    let batches = try calibration.map { path in
      try Diagnostics.reporting(file: path) { try Self.calibrationInputs(path, model: loaded, bound: bound) }
    }
    let (quantized, statistics, calibrated) = try Diagnostics.reporting(file: model) {
      let calibrated = try Calibration.record(loaded, batches: batches)
      let quantized = try quantizer.quantize(loaded, calibration: calibrated)
      let float = try Interpreter(model: loaded)
      let integer = try IntegerInterpreter(model: quantized)
      var statistics = loaded.outputs.map { ErrorStatistics(name: $0.name) }
      for inputs in batches {
        let expected = try float.run(inputs)
        let actual = try integer.run(inputs)
        for index in statistics.indices {
          statistics[index].add(
            expected: expected[index].data, actual: actual[index].data, shape: expected[index].shape)
        }
      }
      return (quantized, statistics, calibrated)
    }
    try Diagnostics.reporting(file: output) { try ModelWriter.write(quantized, to: output) }
    let parameters = quantized.quantization!
    let layers = zip(quantized.layers, parameters.layers).map { layer, entry in
      LayerRange(
        name: layer.name, kind: layer.kind.kindName, range: [entry.output.minimum, entry.output.maximum],
        scale: entry.output.scale, zeroPoint: entry.output.zeroPoint,
        directions: entry.directions.map { direction in
          DirectionRange(
            direction: direction.direction.rawValue, cellMaxAbs: direction.cellMaximum,
            cellFractionBits: direction.cellFractionBits)
        })
    }
    let result = Result(
      model: model, output: output, scheme: parameters.scheme.rawValue, granularity: parameters.granularity.rawValue,
      sequences: calibrated.sequences, input: [parameters.input.minimum, parameters.input.maximum],
      bytes: ["float": loaded.parameterCount * 4, "integer": parameters.byteCount], layers: layers,
      error: statistics)
    if json {
      print(try JSONOutput.string(result))
      return
    }
    print(
      "wrote \(output): \(parameters.scheme.rawValue), \(parameters.granularity.rawValue) weights, "
        + "\(parameters.byteCount) integer bytes (float: \(loaded.parameterCount * 4))")
    print("calibrated on \(calibrated.sequences) sequences; input range \(Self.range(result.input))")
    for layer in layers {
      print(
        "  \(layer.name) (\(layer.kind)): range \(Self.range(layer.range)), scale \(Self.number(layer.scale)), "
          + "zero point \(layer.zeroPoint)")
      for direction in layer.directions {
        print(
          "    \(direction.direction): |c| <= \(Self.number(direction.cellMaxAbs)), "
            + "cell Q\(15 - direction.cellFractionBits).\(direction.cellFractionBits)")
      }
    }
    print("error of the quantized model against the float model on the calibration data:")
    for output in statistics {
      var line =
        "  \(output.name): max abs \(Self.number(output.maxAbs)), RMS \(Self.number(output.rms)), "
        + "SNR \(output.snrDecibels.isFinite ? String(format: "%.1f", output.snrDecibels) : "inf") dB"
      if let agreement = output.argmaxAgreement {
        line += String(format: ", argmax agreement %.1f %%", agreement * 100)
      }
      print(line)
    }
  }

  /// The model inputs a calibration file holds: a fixture's or test_data_set's inputs, or a
  /// `.npy` array `[batch, time, features]` for a model whose one input is the sequence. A fixture's values
  /// of the graph inputs `bound` binds are left out.
  static func calibrationInputs(_ path: String, model: Model, bound: BoundModel) throws -> [Tensor] {
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    let head =
      FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
      ? (FileHandle(forReadingAtPath: path).map { handle in
        defer { try? handle.close() }
        return handle.readData(ofLength: 6)
      } ?? Data()) : Data()
    guard NumPyArray.isNumPy(head) else {
      return try FixtureBinding.inputs(of: bound.fitting(try Fixture(contentsOf: url)), model: model)
    }
    let tensor = try NumPyArray(contentsOf: url).tensor
    let input = model.inputs[0]
    guard model.inputs.count == 1, tensor.shape.count == input.shape.count,
      zip(tensor.shape, input.shape).allSatisfy({ $1 == nil || $0 == $1 })
    else {
      let expected = input.shape.map { $0.map(String.init) ?? "?" }.joined(separator: ", ")
      throw FixtureError.mismatch(
        "the array has shape \(tensor.shape); the model's \(model.inputs.count == 1 ? "input" : "first of \(model.inputs.count) inputs") "
          + "'\(input.name)' is [\(expected)]"
          + (model.inputs.count == 1 ? "" : " and a .npy file can feed only a one-input model"))
    }
    return [tensor]
  }

  static func number<T: BinaryFloatingPoint>(_ value: T) -> String { String(format: "%.6g", Double(value)) }
  static func range(_ values: [Float]) -> String { "[\(number(values[0])), \(number(values[1]))]" }
}

extension QuantizationScheme: ExpressibleByArgument {}
