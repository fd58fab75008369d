import Foundation
import ONNXImport

extension Fixture {
  /// Reads an ONNX test-data folder (`test_data_set_N/` holding `input_K.pb` and
  /// `output_K.pb`, each a serialized `onnx.TensorProto`) as a fixture.
  ///
  /// Tensors are ordered by `K`; their names match model inputs and outputs by
  /// name when all of them are model names, otherwise by position. The producer
  /// is recorded as `onnx test data`; the default tolerance applies.
  public init(testDataSet url: URL) throws {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: url.path)
    } catch {
      throw FixtureError.unreadable("the folder cannot be read")
    }
    func files(_ prefix: String) -> [(Int, String)] {
      names.compactMap { name -> (Int, String)? in
        guard name.hasPrefix(prefix), name.hasSuffix(".pb"),
          let index = Int(name.dropFirst(prefix.count).dropLast(3))
        else { return nil }
        return (index, name)
      }.sorted { $0.0 < $1.0 }
    }
    func tensors(_ prefix: String) throws -> [FixtureTensor] {
      let found = files(prefix)
      guard !found.isEmpty else {
        throw FixtureError.invalidFormat("the test-data folder has no \(prefix)K.pb files")
      }
      guard found.map(\.0) == Array(0..<found.count) else {
        throw FixtureError.invalidFormat("the \(prefix)K.pb files are not numbered 0, 1, 2, ...")
      }
      return try found.map { _, name in
        let tensor: ONNXTensor
        do {
          tensor = try ONNXTensorFile.read(url.appendingPathComponent(name))
        } catch {
          throw FixtureError.invalidTensor(name: name, reason: "\(error)")
        }
        return try Self.fixtureTensor(tensor, file: name)
      }
    }
    self.init(
      url: url, model: nil, producer: FixtureProducer(framework: "onnx test data", version: "", script: nil),
      tolerance: nil, inputs: try tensors("input_"), outputs: try tensors("output_"))
  }

  static func fixtureTensor(_ tensor: ONNXTensor, file: String) throws -> FixtureTensor {
    let type: FixtureElementType
    switch tensor.dataType {
    case .float, .bfloat16: type = .float32
    case .double: type = .float64
    case .float16: type = .float16
    case .int32: type = .int32
    case .int64: type = .int64
    default:
      throw FixtureError.invalidTensor(
        name: tensor.name.isEmpty ? file : tensor.name,
        reason:
          "data type \(tensor.dataType.name) is not supported; supported: float, float16, bfloat16, double, int32, int64"
      )
    }
    let values = tensor.dataType.isFloatingPoint ? tensor.floats.map(Double.init) : tensor.integers.map(Double.init)
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      throw FixtureError.invalidTensor(name: tensor.name, reason: "data[\(bad)] is not a finite number")
    }
    return FixtureTensor(name: tensor.name, elementType: type, shape: tensor.dims, values: values)
  }
}
