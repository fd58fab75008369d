import FixtureFormat
import ONNXImport

extension Fixture {
  /// The fixture's value for the ONNX graph input `name`.
  ///
  /// Inputs match graph inputs by name when every fixture input is named after one of `graphInputs`
  /// (ONNX's test data and lstmc fixtures name them), otherwise by position when the fixture has one input
  /// per graph input, in `graphInputs`' order (the `test_data_set_N` convention for unnamed tensors).
  public func inputValue(named name: String, graphInputs: [String]) -> FixtureTensor? {
    guard let index = inputIndices(graphInputs: graphInputs)[name] else { return nil }
    return inputs[index]
  }

  /// The fixture without its values for the graph inputs in `bound` (matched as ``inputValue(named:graphInputs:)``
  /// does), so that it fits a model imported with those inputs bound as constants.
  public func removingInputs(_ bound: Set<String>, graphInputs: [String]) -> Fixture {
    let indices = inputIndices(graphInputs: graphInputs)
    let removed = Set(bound.compactMap { indices[$0] })
    var fixture = self
    fixture.inputs = inputs.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    return fixture
  }

  /// Fixture input index by graph input name.
  private func inputIndices(graphInputs: [String]) -> [String: Int] {
    let names = inputs.map(\.name)
    if Set(names).count == names.count, Set(names).isSubset(of: graphInputs) {
      return Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, $0.offset) })
    }
    guard names.count == graphInputs.count, Set(graphInputs).count == graphInputs.count else { return [:] }
    return Dictionary(uniqueKeysWithValues: graphInputs.enumerated().map { ($0.element, $0.offset) })
  }
}

extension FixtureTensor {
  /// The tensor as an ONNX tensor named `name`, to bind a graph input: float types keep their
  /// element type (values as read), integer types become int32 or int64 integers.
  public func onnxTensor(name: String) -> ONNXTensor {
    switch elementType {
    case .float16: return ONNXTensor(name: name, dims: shape, dataType: .float16, floats: values.map { Float($0) })
    case .float32: return ONNXTensor(name: name, dims: shape, dataType: .float, floats: values.map { Float($0) })
    case .float64: return ONNXTensor(name: name, dims: shape, dataType: .double, floats: values.map { Float($0) })
    case .int32: return ONNXTensor(name: name, dims: shape, dataType: .int32, integers: values.map { Int64($0) })
    case .int64: return ONNXTensor(name: name, dims: shape, dataType: .int64, integers: values.map { Int64($0) })
    }
  }
}
