import FixtureFormat
import Foundation
import ONNXImport
import Verification

/// Reads the value of a `--bind NAME=FILE`: a serialized `onnx.TensorProto` (`.pb`), a NumPy `.npy`
/// (float32 or int32), or a fixture (`lstmc-fixture-1` JSON or an ONNX `test_data_set_N` folder)
/// whose input `NAME` is used. The kind is recognised from the content, not the extension.
enum BindingFile {
  /// What a binding file may be, for messages.
  static let kinds =
    "a serialized onnx.TensorProto (.pb), a NumPy .npy (float32 or int32), or a fixture (lstmc-fixture-1 JSON "
    + "or test_data_set_N folder)"

  /// The value of `binding`; `graphInputs` are the model's runtime graph inputs (to find the input in a
  /// fixture whose tensors are unnamed). Errors are ``CLIError``s naming the file.
  static func read(_ binding: BindOption, graphInputs: [String]) throws -> ONNXTensor {
    let path = binding.file
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw CLIError(file: path, message: "no such file (--bind \(binding.name)=\(path))")
    }
    do {
      if isDirectory.boolValue {
        return try fixtureValue(try Fixture(testDataSet: url), binding, graphInputs: graphInputs)
      }
      guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIError(file: path, message: "cannot be read (permission denied?)")
      }
      if NumPyArray.isNumPy(data) {
        let array = try NumPyArray(data: data)
        let tensor = array.tensor
        return array.isInteger
          ? ONNXTensor(
            name: binding.name, dims: tensor.shape, dataType: .int32, integers: tensor.data.map { Int64($0) })
          : ONNXTensor(name: binding.name, dims: tensor.shape, dataType: .float, floats: tensor.data)
      }
      if data.first(where: { !" \t\r\n".utf8.contains($0) }) == UInt8(ascii: "{") {
        return try fixtureValue(try Fixture(data: data, url: url), binding, graphInputs: graphInputs)
      }
      let tensor: ONNXTensor
      do {
        tensor = try ONNXTensorFile.read(url)
      } catch ONNXImportError.notAModel, ONNXImportError.unsupportedDataType(_, 0) {
        throw CLIError(file: path, message: "not \(kinds)")
      }
      return tensor
    } catch let error as CLIError {
      throw error
    } catch {
      throw CLIError(file: path, message: "\(error) (--bind \(binding.name)=\(path))")
    }
  }

  /// The fixture's input `binding.name`.
  private static func fixtureValue(_ fixture: Fixture, _ binding: BindOption, graphInputs: [String]) throws
    -> ONNXTensor
  {
    guard let tensor = fixture.inputValue(named: binding.name, graphInputs: graphInputs) else {
      throw CLIError(
        file: binding.file,
        message: "the fixture has no input '\(binding.name)' (its inputs: "
          + fixture.inputs.map { "'\($0.name)'" }.joined(separator: ", ") + ")")
    }
    return tensor.onnxTensor(name: binding.name)
  }
}
