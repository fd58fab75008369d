import Foundation

/// The quantized part of an `lstmc-model-1` file.
///
/// The metadata entry `quantization` holds the scheme, granularity and every
/// scalar (input and per-layer output scales and zero points with their
/// calibrated ranges, cell fraction bits, hidden multiplier and shift, gate clip).
/// Each ``QuantizedMatrix`` at base name `B` (`layers.<i>.<direction>.<gate>.W`,
/// `….U`, or `layers.<i>.kernel` for Dense) is stored as `B_q` (I8 weights),
/// `B_scale` (F32 scales), `B_bias` (I32 folded bias), `B_multiplier` (I32) and
/// `B_shift` (I32); an Embedding table as `layers.<i>.table_q` (I8 or I16, the activation type).
/// The float tensors of the model stay as they are.
extension ModelArchive {
  /// The metadata key of the quantization document.
  static let quantizationKey = "quantization"

  static func quantizationEntries(_ quantized: QuantizedModel) throws -> (
    json: String, floats: [(name: String, tensor: Tensor)], integers: [(name: String, tensor: IntegerTensor)]
  ) {
    var floats: [(name: String, tensor: Tensor)] = []
    var integers: [(name: String, tensor: IntegerTensor)] = []
    func add(_ matrix: QuantizedMatrix, base: String) {
      floats.append(("\(base)_scale", matrix.scales))
      integers += [
        ("\(base)_q", matrix.weights), ("\(base)_bias", matrix.bias), ("\(base)_multiplier", matrix.multipliers),
        ("\(base)_shift", matrix.shifts),
      ]
    }
    var layers: [QuantizationDocument.Layer] = []
    for (index, layer) in quantized.layers.enumerated() {
      var directions: [QuantizationDocument.Direction] = []
      for direction in layer.directions {
        let names = direction.gates.keys.sorted()
        for name in names {
          let gate = direction.gates[name]!
          let base = "layers.\(index).\(direction.direction.rawValue).\(name)"
          add(gate.input, base: "\(base).W")
          add(gate.recurrent, base: "\(base).U")
        }
        directions.append(
          .init(
            direction: direction.direction, gates: names, cellFractionBits: direction.cellFractionBits,
            cellMaximum: direction.cellMaximum, hiddenMultiplier: direction.hiddenMultiplier,
            hiddenShift: direction.hiddenShift, gateClip: direction.gateClip))
      }
      if let dense = layer.dense { add(dense, base: "layers.\(index).kernel") }
      if let table = layer.embedding { integers.append(("layers.\(index).table_q", table)) }
      layers.append(
        .init(
          output: layer.output, directions: directions, dense: layer.dense != nil,
          embedding: layer.embedding != nil ? true : nil))
    }
    let document = QuantizationDocument(
      scheme: quantized.scheme, granularity: quantized.granularity, input: quantized.input, layers: layers)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return (String(decoding: try encoder.encode(document), as: UTF8.self), floats, integers)
  }

  static func decodeQuantization(_ json: String, file: SafetensorsFile, model: Model) throws -> QuantizedModel {
    let document: QuantizationDocument
    do {
      document = try JSONDecoder().decode(QuantizationDocument.self, from: Data(json.utf8))
    } catch {
      throw SafetensorsError.invalidArchitecture("cannot decode the quantization entry (\(error))")
    }
    guard document.layers.count == model.layers.count else {
      throw SafetensorsError.invalidArchitecture(
        "the quantization entry describes \(document.layers.count) layers, the model has \(model.layers.count)")
    }
    func integers(_ name: String, _ type: IntegerElementType) throws -> IntegerTensor {
      guard let tensor = file.integerTensor(named: name) else { throw SafetensorsError.missingTensor(name) }
      guard tensor.elementType == type else {
        throw SafetensorsError.invalidTensor(
          name: name, reason: "is \(tensor.elementType.dtype), expected \(type.dtype)")
      }
      return tensor
    }
    func matrix(_ base: String, rows: Int, columns: Int) throws -> QuantizedMatrix {
      guard let scales = file.tensor(named: "\(base)_scale") else {
        throw SafetensorsError.missingTensor("\(base)_scale")
      }
      let result = QuantizedMatrix(
        weights: try integers("\(base)_q", .int8), scales: scales, bias: try integers("\(base)_bias", .int32),
        multipliers: try integers("\(base)_multiplier", .int32), shifts: try integers("\(base)_shift", .int32))
      let perRow = result.multipliers.shape == [1] ? 1 : rows
      guard result.weights.shape == [rows, columns], result.bias.shape == [rows], result.scales.shape == [perRow],
        result.multipliers.shape == [perRow], result.shifts.shape == [perRow]
      else {
        throw SafetensorsError.invalidTensor(
          name: "\(base)_q", reason: "its quantized tensors do not fit a [\(rows), \(columns)] matrix")
      }
      guard result.shifts.data.allSatisfy({ (-31...30).contains($0) }),
        result.multipliers.data.allSatisfy({ $0 == 0 || $0 >= 1 << 30 })
      else {
        throw SafetensorsError.invalidTensor(
          name: "\(base)_multiplier", reason: "multipliers must lie in [2^30, 2^31) (or be 0) and shifts in -31...30")
      }
      return result
    }
    var layers: [QuantizedLayer] = []
    for (index, (entry, layer)) in zip(document.layers, model.layers).enumerated() {
      let recurrent = layer.kind.recurrentDirections
      guard entry.directions.count == 0 || entry.directions.count == recurrent.count else {
        throw SafetensorsError.invalidArchitecture(
          "the quantization entry of layer '\(layer.name)' has \(entry.directions.count) directions, "
            + "the layer \(recurrent.count)")
      }
      var directions: [QuantizedRecurrentDirection] = []
      for (direction, float) in zip(entry.directions, recurrent) {
        var gates: [String: QuantizedGate] = [:]
        for name in direction.gates {
          let base = "layers.\(index).\(direction.direction.rawValue).\(name)"
          gates[name] = QuantizedGate(
            input: try matrix("\(base).W", rows: float.hiddenSize, columns: float.inputSize),
            recurrent: try matrix("\(base).U", rows: float.hiddenSize, columns: float.hiddenSize))
        }
        guard (0...15).contains(direction.cellFractionBits), (-31...30).contains(direction.hiddenShift) else {
          throw SafetensorsError.invalidArchitecture(
            "layer '\(layer.name)': cell fraction bits must lie in 0...15 and the hidden shift in -31...30")
        }
        directions.append(
          QuantizedRecurrentDirection(
            direction: direction.direction, gates: gates, cellFractionBits: direction.cellFractionBits,
            cellMaximum: direction.cellMaximum, hiddenMultiplier: direction.hiddenMultiplier,
            hiddenShift: direction.hiddenShift, gateClip: direction.gateClip))
      }
      var dense: QuantizedMatrix?
      if entry.dense {
        switch layer.kind {
        case .dense(let float), .timeDistributedDense(let float):
          dense = try matrix("layers.\(index).kernel", rows: float.units, columns: float.inputSize)
        default:
          throw SafetensorsError.invalidArchitecture(
            "the quantization entry gives layer '\(layer.name)' (\(layer.kind.kindName)) a Dense kernel")
        }
      }
      var embedding: IntegerTensor?
      if entry.embedding == true {
        guard case .embedding(let float) = layer.kind else {
          throw SafetensorsError.invalidArchitecture(
            "the quantization entry gives layer '\(layer.name)' (\(layer.kind.kindName)) an Embedding table")
        }
        let name = "layers.\(index).table_q"
        guard let table = file.integerTensor(named: name) else { throw SafetensorsError.missingTensor(name) }
        guard table.shape == float.table.shape, table.elementType != .int32 else {
          throw SafetensorsError.invalidTensor(
            name: name,
            reason: "must be I8 or I16 of shape \(float.table.shape), is \(table.elementType.dtype) \(table.shape)")
        }
        embedding = table
      }
      layers.append(QuantizedLayer(output: entry.output, directions: directions, dense: dense, embedding: embedding))
    }
    return QuantizedModel(
      scheme: document.scheme, granularity: document.granularity, input: document.input, layers: layers)
  }
}
