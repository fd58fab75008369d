import CanonicalModel
import Foundation

/// The integer reference: runs a quantized model (``CanonicalModel/Model/quantization``)
/// with integer arithmetic only, in the order generated integer code must follow.
///
/// Float appears only at the boundary: ``run(_:)`` quantizes the input
/// (`clamp(round(x / s) + z)`, rounding half away from zero), runs
/// ``runIntegers(_:)``, and dequantizes each output (`s * (q - z)`; a cell
/// state `q * 2^-F`), applying a final softmax there when the model ends in one.
///
/// ```swift
/// let reference = try IntegerInterpreter(model: quantizedModel)
/// let outputs = try reference.run([Tensor(shape: [1, 10, 3], data: samples)])
/// ```
public struct IntegerInterpreter: Sendable {
  /// The model (float architecture plus its quantization).
  public let model: Model
  /// The model's quantization.
  public let quantized: QuantizedModel

  /// Checks that `model` is quantized, supported, and that its integer tensors keep
  /// every int32 accumulator in range.
  public init(model: Model) throws {
    guard let quantized = model.quantization else { throw QuantizationError.notQuantized }
    try model.validate()
    try IntegerSupport.check(model, scheme: quantized.scheme)
    guard quantized.layers.count == model.layers.count else {
      throw QuantizationError.invalidInput("the quantization describes \(quantized.layers.count) layers")
    }
    for (layer, entry) in zip(model.layers, quantized.layers) {
      var matrices = entry.directions.flatMap { $0.gates.values.flatMap { [$0.input, $0.recurrent] } }
      if let dense = entry.dense { matrices.append(dense) }
      let biasLimit = Int64(IntegerSupport.maximumBias(quantized.scheme))
      for matrix in matrices {
        guard matrix.weights.data.allSatisfy({ (-127...127).contains($0) }),
          matrix.bias.data.allSatisfy({ abs(Int64($0)) <= biasLimit })
        else {
          throw QuantizationError.unsupported(
            layer: layer.name,
            reason: "weights outside -127...127 or a bias beyond ±\(biasLimit) could overflow the accumulator")
        }
        guard quantized.scheme == .int8x8_16 || matrix.shifts.data.allSatisfy({ $0 <= FixedPoint.maximumWideShift })
        else {
          throw QuantizationError.unsupported(
            layer: layer.name, reason: "an int16x8_16 requantization shift above \(FixedPoint.maximumWideShift)")
        }
      }
      let directionCount = layer.kind.recurrentDirections.count
      let isEmbedding: Bool = {
        if case .embedding = layer.kind { return true }
        return false
      }()
      guard (entry.embedding != nil) == isEmbedding,
        entry.embedding.map({ $0.elementType == quantized.scheme.activationType }) ?? true
      else {
        throw QuantizationError.invalidInput("layer '\(layer.name)' lacks its quantized table or has the wrong type")
      }
      guard entry.directions.count == directionCount,
        (entry.dense != nil)
          == ({
            if case .dense = layer.kind { return true }
            if case .timeDistributedDense = layer.kind { return true }
            return false
          }())
      else {
        throw QuantizationError.invalidInput("layer '\(layer.name)' lacks its quantized parameters")
      }
    }
    self.model = model
    self.quantized = quantized
  }

  /// The input's integer codes: `clamp(round(x / scale) + zeroPoint)` (NaN becomes the zero point);
  /// for a model that starts with an Embedding, the indices as int32 (``runIntegers(_:)`` checks them).
  public func quantizeInput(_ input: Tensor) -> IntegerTensor {
    if IntegerSupport.startsWithEmbedding(model) {
      return IntegerTensor(
        .int32, shape: input.shape,
        data: input.data.map { $0.isFinite && $0.rounded() == $0 ? Int32(clamping: Int64($0)) : -1 })
    }
    let parameters = quantized.input
    let type = quantized.scheme.activationType
    let data = input.data.map { value -> Int32 in
      let scaled = (Double(value) / Double(parameters.scale)).rounded() + Double(parameters.zeroPoint)
      return Quantizer.clamped(scaled, Double(type.range.lowerBound), Double(type.range.upperBound))
    }
    return IntegerTensor(type, shape: input.shape, data: data)
  }

  /// Runs the model on float inputs (quantized and dequantized at the boundary).
  ///
  /// - Parameter inputs: the model's one sequence input `[batch, time, features]`.
  /// - Returns: one float tensor per model output, as ``Interpreter`` returns them.
  public func run(_ inputs: [Tensor]) throws -> [Tensor] {
    guard inputs.count == 1 else {
      throw QuantizationError.invalidInput("the model takes 1 input, got \(inputs.count)")
    }
    let integers = try runIntegers(quantizeInput(inputs[0]))
    return zip(model.outputs, integers).map { output, tensor in dequantize(tensor, output: output) }
  }

  /// Runs the model on integer input codes and returns each output's integer codes
  /// (a layer output or final `h` in the activation type, a final `c` as int16).
  public func runIntegers(_ input: IntegerTensor) throws -> [IntegerTensor] {
    let indices = IntegerSupport.startsWithEmbedding(model)
    let features = indices ? 1 : model.inputs[0].shape[2] ?? 0
    guard input.shape.count == (indices ? 2 : 3), indices || input.shape[2] == features,
      model.inputs[0].shape[1].map({ $0 == input.shape[1] }) ?? true
    else {
      let time = model.inputs[0].shape[1].map(String.init) ?? "time"
      throw QuantizationError.invalidInput(
        "input has shape \(input.shape), the model expects [batch, \(time)\(indices ? "" : ", \(features)")]")
    }
    let type = quantized.scheme.activationType
    var current = IntegerValue(data: input.data, batch: input.shape[0], time: input.shape[1], features: features)
    var results: [Int: (output: IntegerValue, hidden: [Direction: [Int32]], cell: [Direction: [Int32]])] = [:]
    for (index, layer) in model.layers.enumerated() {
      let entry = quantized.layers[index]
      var hidden: [Direction: [Int32]] = [:]
      var cell: [Direction: [Int32]] = [:]
      switch layer.kind {
      case .lstm, .bidirectional, .gru:
        var outputs: [IntegerValue] = []
        for (recurrent, parameters) in zip(layer.kind.recurrentDirections, entry.directions) {
          switch recurrent {
          case .lstm(let lstm):
            let direction = try IntegerLSTMDirection(
              layer: lstm, quantized: parameters, hidden: entry.output, type: type)
            let result = direction.run(current)
            outputs.append(result.output)
            hidden[lstm.direction] = result.finalHidden
            cell[lstm.direction] = result.finalCell
          case .gru(let gru):
            let direction = try IntegerGRUDirection(layer: gru, quantized: parameters, hidden: entry.output, type: type)
            let result = direction.run(current)
            outputs.append(result.output)
            hidden[gru.direction] = result.finalHidden
          }
        }
        current = outputs.count == 1 ? outputs[0] : Self.concatenate(outputs[0], outputs[1])
      case .dense, .timeDistributedDense:
        let isRelu: Bool
        switch layer.kind {
        case .dense(let dense), .timeDistributedDense(let dense): isRelu = dense.activation == .relu
        default: isRelu = false
        }
        current = Self.dense(entry.dense!, on: current, output: entry.output, relu: isRelu, type: type)
      case .activation(let activation):
        if activation == .relu {
          let zero = entry.output.zeroPoint
          current.data = current.data.map { max($0, zero) }
        }
      case .lastTimeStep:
        let width = current.features
        let time = current.steps
        var data: [Int32] = []
        for sample in 0..<current.batch {
          let start = (sample * time + time - 1) * width
          data.append(contentsOf: current.data[start..<(start + width)])
        }
        current = IntegerValue(data: data, batch: current.batch, time: nil, features: width)
      case .embedding:
        let table = entry.embedding!
        let dimension = table.shape[1]
        var data: [Int32] = []
        data.reserveCapacity(current.data.count * dimension)
        for (position, index) in current.data.enumerated() {
          guard index >= 0, Int(index) < table.shape[0] else {
            throw QuantizationError.invalidInput(
              "layer '\(layer.name)': sample \(position / current.steps), step \(position % current.steps): "
                + "index \(index) is not an integer in 0..<\(table.shape[0])")
          }
          data.append(contentsOf: table.data[(Int(index) * dimension)..<((Int(index) + 1) * dimension)])
        }
        current = IntegerValue(data: data, batch: current.batch, time: current.time, features: dimension)
      case .masking:
        throw QuantizationError.unsupported(layer: layer.name, reason: "no integer form yet")
      }
      results[index] = (current, hidden, cell)
    }
    return model.outputs.map { output in
      let result = results[output.layer]!
      let batch = result.output.batch
      func state(_ values: [Direction: [Int32]], _ direction: Direction, _ type: IntegerElementType) -> IntegerTensor {
        let data = values[direction] ?? []
        return IntegerTensor(type, shape: [batch, data.count / max(batch, 1)], data: data)
      }
      let firstDirection = model.layers[output.layer].kind.recurrentDirections.first?.direction ?? .forward
      switch output.port {
      case .output: return IntegerTensor(type, shape: result.output.shape, data: result.output.data)
      case .hiddenState(let direction): return state(result.hidden, direction, type)
      case .cellState(let direction): return state(result.cell, direction, .int16)
      case .hiddenStates: return state(result.hidden, firstDirection, type)
      case .cellStates: return state(result.cell, firstDirection, .int16)
      }
    }
  }

  /// The real values of one output's integer codes.
  func dequantize(_ tensor: IntegerTensor, output: ModelOutput) -> Tensor {
    let entry = quantized.layers[output.layer]
    let layer = model.layers[output.layer]
    let cellDirection: Direction?
    switch output.port {
    case .cellState(let direction): cellDirection = direction
    case .cellStates: cellDirection = layer.kind.recurrentDirections.first?.direction
    default: cellDirection = nil
    }
    switch cellDirection {
    case .some(let direction):
      let bits = entry.directions.first { $0.direction == direction }?.cellFractionBits ?? 15
      let step = Float(1) / Float(1 << bits)
      return Tensor(shape: tensor.shape, data: tensor.data.map { Float($0) * step })
    default:
      let scale = entry.output.scale
      let zero = entry.output.zeroPoint
      var data = tensor.data.map { scale * Float($0 - zero) }
      if output.port == .output, output.layer == model.layers.count - 1, IntegerSupport.hasBoundarySoftmax(model) {
        Self.softmax(&data, width: tensor.shape.last ?? 1)
      }
      return Tensor(shape: tensor.shape, data: data)
    }
  }

  /// Softmax over each run of `width` values (float: it runs at the dequantize boundary).
  static func softmax(_ data: inout [Float], width: Int) {
    guard width > 0 else { return }
    for start in stride(from: 0, to: data.count, by: width) {
      let row = start..<(start + width)
      let peak = data[row].max() ?? 0
      var sum: Float = 0
      for k in row {
        data[k] = Foundation.exp(data[k] - peak)
        sum += data[k]
      }
      for k in row { data[k] /= sum }
    }
  }

  /// Two directions' outputs side by side per step.
  static func concatenate(_ a: IntegerValue, _ b: IntegerValue) -> IntegerValue {
    var data: [Int32] = []
    data.reserveCapacity(a.data.count + b.data.count)
    for row in 0..<(a.batch * a.steps) {
      data.append(contentsOf: a.data[(row * a.features)..<((row + 1) * a.features)])
      data.append(contentsOf: b.data[(row * b.features)..<((row + 1) * b.features)])
    }
    return IntegerValue(data: data, batch: a.batch, time: a.time, features: a.features + b.features)
  }

  /// `requantize(bias + kernel · x)` on every row, relu as a clamp at the output zero point.
  static func dense(
    _ matrix: QuantizedMatrix, on value: IntegerValue, output: QuantizationParameters, relu: Bool,
    type: IntegerElementType
  ) -> IntegerValue {
    let product = IntegerLSTMDirection.Product(matrix, wide: type == .int16)
    let units = matrix.rows
    let columns = matrix.columns
    let rows = value.batch * value.steps
    var data = [Int32](repeating: 0, count: rows * units)
    for row in 0..<rows {
      value.data[(row * columns)..<((row + 1) * columns)].withUnsafeBufferPointer { x in
        for j in 0..<units {
          // requantize(acc, m, s, z): multiply, add the zero point, saturate to the activation type.
          let scaled = Int64(product.requantized(j, x, columns: columns)) + Int64(output.zeroPoint)
          var q = FixedPoint.saturate(Int32(clamping: scaled), to: type)
          if relu { q = max(q, output.zeroPoint) }
          data[row * units + j] = q
        }
      }
    }
    return IntegerValue(data: data, batch: value.batch, time: value.time, features: units)
  }
}
