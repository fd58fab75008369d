import CONNX
import CProtobufC
import Foundation

/// Decodes serialized ONNX protobuf messages into Swift values through
/// protobuf-c. Every C structure is freed before a decode returns; no pointer
/// leaves this type.
struct ONNXDecoder {
  let limits: ONNXLimits
  /// The folder external tensor data is resolved against; `nil` for bytes with no folder (external data refused).
  let folder: URL?

  /// Decodes a `ModelProto`.
  func decodeModel(_ data: Data) throws -> ONNXModelFile {
    guard data.count <= limits.maximumFileSize else {
      throw ONNXImportError.fileTooLarge(bytes: data.count, limit: limits.maximumFileSize)
    }
    guard !data.isEmpty else { throw ONNXImportError.notAModel("the file is empty") }
    let bytes = [UInt8](data)
    return try bytes.withUnsafeBufferPointer { buffer in
      try ProtobufDepthScanner(limit: limits.maximumGraphDepth).check(buffer)
      guard let model = onnx__model_proto__unpack(nil, buffer.count, buffer.baseAddress) else {
        throw ONNXImportError.notAModel("the protobuf data is truncated or corrupt")
      }
      defer { onnx__model_proto__free_unpacked(model, nil) }
      guard let graph = model.pointee.graph else {
        throw ONNXImportError.notAModel(
          (model.pointee.has_ir_version != 0) ? "it has no graph" : "it has neither an ir_version nor a graph")
      }
      var opsets: [String: Int64] = [:]
      for index in 0..<model.pointee.n_opset_import {
        guard let opset = model.pointee.opset_import[index] else { continue }
        opsets[string(opset.pointee.domain)] = (opset.pointee.has_version != 0) ? opset.pointee.version : 0
      }
      return ONNXModelFile(
        irVersion: (model.pointee.has_ir_version != 0) ? model.pointee.ir_version : 0,
        producerName: string(model.pointee.producer_name), producerVersion: string(model.pointee.producer_version),
        opsets: opsets, graph: try decodeGraph(graph.pointee))
    }
  }

  /// Decodes a serialized `TensorProto` (the ONNX test-data `*.pb` files).
  func decodeTensor(_ data: Data) throws -> ONNXTensor {
    let bytes = [UInt8](data)
    return try bytes.withUnsafeBufferPointer { buffer in
      guard let tensor = onnx__tensor_proto__unpack(nil, buffer.count, buffer.baseAddress) else {
        throw ONNXImportError.notAModel("not a serialized onnx.TensorProto (truncated or corrupt)")
      }
      defer { onnx__tensor_proto__free_unpacked(tensor, nil) }
      return try decodeTensor(tensor.pointee)
    }
  }

  private func decodeGraph(_ graph: Onnx__GraphProto) throws -> ONNXGraph {
    ONNXGraph(
      name: string(graph.name),
      nodes: try (0..<graph.n_node).compactMap { graph.node[$0] }.map { try decodeNode($0.pointee) },
      initializers: try (0..<graph.n_initializer).compactMap { graph.initializer[$0] }.map {
        try decodeTensor($0.pointee)
      },
      inputs: (0..<graph.n_input).compactMap { graph.input[$0] }.map { decodeValueInfo($0.pointee) },
      outputs: (0..<graph.n_output).compactMap { graph.output[$0] }.map { decodeValueInfo($0.pointee) })
  }

  private func decodeNode(_ node: Onnx__NodeProto) throws -> ONNXNode {
    var attributes: [String: ONNXAttribute] = [:]
    for index in 0..<node.n_attribute {
      guard let attribute = node.attribute[index] else { continue }
      attributes[string(attribute.pointee.name)] = try decodeAttribute(attribute.pointee)
    }
    return ONNXNode(
      name: string(node.name), opType: string(node.op_type), domain: string(node.domain),
      inputs: (0..<node.n_input).map { string(node.input[$0]) },
      outputs: (0..<node.n_output).map { string(node.output[$0]) }, attributes: attributes)
  }

  private func decodeAttribute(_ attribute: Onnx__AttributeProto) throws -> ONNXAttribute {
    let type = (attribute.has_type != 0) ? attribute.type.rawValue : inferredType(attribute)
    switch type {
    case 1: return .float(attribute.f)
    case 2: return .int(attribute.i)
    case 3: return .string(String(decoding: binary(attribute.s), as: UTF8.self))
    case 4:
      guard let tensor = attribute.t else { return .unsupported(Int32(truncatingIfNeeded: type)) }
      return .tensor(try decodeTensor(tensor.pointee))
    case 5:
      guard let graph = attribute.g else { return .unsupported(Int32(truncatingIfNeeded: type)) }
      return .graph(try decodeGraph(graph.pointee))
    case 6: return .floats(Array(UnsafeBufferPointer(start: attribute.floats, count: attribute.n_floats)))
    case 7: return .ints(Array(UnsafeBufferPointer(start: attribute.ints, count: attribute.n_ints)))
    case 8:
      return .strings((0..<attribute.n_strings).map { String(decoding: binary(attribute.strings[$0]), as: UTF8.self) })
    default: return .unsupported(Int32(truncatingIfNeeded: type))
    }
  }

  /// IR version 1 files have no `type`; infer it from the field present.
  private func inferredType(_ attribute: Onnx__AttributeProto) -> UInt32 {
    if attribute.has_f != 0 { return 1 }
    if attribute.has_i != 0 { return 2 }
    if attribute.has_s != 0 { return 3 }
    if attribute.t != nil { return 4 }
    if attribute.g != nil { return 5 }
    if attribute.n_floats > 0 { return 6 }
    if attribute.n_ints > 0 { return 7 }
    if attribute.n_strings > 0 { return 8 }
    return 0
  }

  private func decodeValueInfo(_ info: Onnx__ValueInfoProto) -> ONNXValueInfo {
    guard let type = info.type, type.pointee.value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE,
      let tensorType = type.pointee.tensor_type
    else { return ONNXValueInfo(name: string(info.name), elementType: nil, shape: nil) }
    let elementType =
      (tensorType.pointee.has_elem_type != 0) ? ONNXDataType(rawValue: tensorType.pointee.elem_type) : nil
    var shape: [ONNXDimension]?
    if let declared = tensorType.pointee.shape {
      shape = (0..<declared.pointee.n_dim).map { index in
        guard let dimension = declared.pointee.dim[index] else { return .unknown }
        switch dimension.pointee.value_case {
        case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE:
          return dimension.pointee.dim_value >= 0 ? .value(Int(dimension.pointee.dim_value)) : .unknown
        case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM:
          return .parameter(string(dimension.pointee.dim_param))
        default:
          return .unknown
        }
      }
    }
    return ONNXValueInfo(name: string(info.name), elementType: elementType, shape: shape)
  }

  private func decodeTensor(_ tensor: Onnx__TensorProto) throws -> ONNXTensor {
    let name = string(tensor.name)
    let dims = Array(UnsafeBufferPointer(start: tensor.dims, count: tensor.n_dims))
    var elements = 1
    for dimension in dims {
      guard dimension >= 0 else {
        throw ONNXImportError.invalidTensor(name: name, reason: "negative dimension in \(dims)")
      }
      // Checked one by one as well: a zero elsewhere would hide a huge extent from the product.
      guard dimension <= limits.maximumTensorElements else {
        throw ONNXImportError.invalidTensor(
          name: name, reason: "dimension \(dimension) exceeds lstmc's limit of \(limits.maximumTensorElements)")
      }
      let (product, overflow) = elements.multipliedReportingOverflow(by: Int(dimension))
      guard !overflow, product <= limits.maximumTensorElements else {
        throw ONNXImportError.invalidTensor(
          name: name, reason: "dims \(dims) exceed lstmc's limit of \(limits.maximumTensorElements) elements")
      }
      elements = product
    }
    let rawType = (tensor.has_data_type != 0) ? tensor.data_type : 0
    guard let dataType = ONNXDataType(rawValue: rawType), dataType.rawElementSize != nil else {
      throw ONNXImportError.unsupportedDataType(name: name, dataType: rawType)
    }
    let source = TensorPayload(
      name: name, dataType: dataType, elements: elements,
      raw: try rawData(tensor, name: name, dataType: dataType, elements: elements),
      floatData: UnsafeBufferPointer(start: tensor.float_data, count: tensor.n_float_data),
      int32Data: UnsafeBufferPointer(start: tensor.int32_data, count: tensor.n_int32_data),
      int64Data: UnsafeBufferPointer(start: tensor.int64_data, count: tensor.n_int64_data),
      doubleData: UnsafeBufferPointer(start: tensor.double_data, count: tensor.n_double_data),
      uint64Data: UnsafeBufferPointer(start: tensor.uint64_data, count: tensor.n_uint64_data))
    let (floats, integers) = try source.decode()
    return ONNXTensor(
      name: name, dims: dims.map { Int($0) }, dataType: dataType, floats: floats, integers: integers)
  }

  /// The tensor's raw bytes: inline `raw_data`, external data, or `nil` when a typed field holds the values.
  private func rawData(_ tensor: Onnx__TensorProto, name: String, dataType: ONNXDataType, elements: Int) throws
    -> [UInt8]?
  {
    if (tensor.has_data_location != 0) && tensor.data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL {
      var entries: [String: String] = [:]
      for index in 0..<tensor.n_external_data {
        guard let entry = tensor.external_data[index] else { continue }
        entries[string(entry.pointee.key)] = string(entry.pointee.value)
      }
      guard let folder else {
        throw ONNXImportError.externalData(
          name: name, reason: "cannot be read: the model was given as bytes, not a file")
      }
      return try ExternalData(folder: folder, limits: limits).read(
        entries, tensor: name, expectedBytes: elements * (dataType.rawElementSize ?? 0))
    }
    return (tensor.has_raw_data != 0) ? binary(tensor.raw_data) : nil
  }

  private func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
    guard let pointer else { return "" }
    return String(cString: pointer)
  }

  private func binary(_ data: ProtobufCBinaryData) -> [UInt8] {
    guard let bytes = data.data, data.len > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: bytes, count: data.len))
  }
}
