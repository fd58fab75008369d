import CanonicalModel
import Foundation

/// Post-training quantization: a float canonical model and its ``Calibration``
/// become the same model with ``CanonicalModel/Model/quantization`` filled in.
///
/// For scheme `int8x8_16` (see `README.md` in this folder for the arithmetic):
/// - values between layers: int8 asymmetric, `scale = (max - min) / 255` over the
///   calibrated range widened to hold 0, zero point `round(-128 - min / scale)`;
///   a recurrent layer's hidden state shares its output's parameters;
/// - weights: int8 symmetric narrow range (-127...127), one scale per row
///   (``CanonicalModel/WeightGranularity/perChannel``) or per matrix, `scale = max|w| / 127`;
/// - biases: int32 at scale `s_x * s_w`, the input zero point folded in;
/// - gate pre-activations: int16 Q3.12; gate outputs Q0.15;
/// - cell state: int16 with scale `2^-F`, `F = 15 - ceil(log2(max|c|))` (0...15);
/// - every real rescaling: a multiplier in `[2^30, 2^31)` and a shift.
public struct Quantizer: Sendable {
  /// The scheme.
  public var scheme: QuantizationScheme
  /// Per-channel or per-tensor weight scales.
  public var granularity: WeightGranularity

  /// Creates a quantizer.
  public init(scheme: QuantizationScheme = .int8x8_16, granularity: WeightGranularity = .perChannel) {
    self.scheme = scheme
    self.granularity = granularity
  }

  /// Checks that `model` has an integer form under this scheme, without calibrating it.
  public func checkSupported(_ model: Model) throws {
    try IntegerSupport.check(model, scheme: scheme)
  }

  /// The quantized model.
  public func quantize(_ model: Model, calibration: Calibration) throws -> Model {
    try checkSupported(model)
    let type = scheme.activationType
    let input = Self.activationParameters(calibration.input, type: type)
    var current = input
    var layers: [QuantizedLayer] = []
    for (index, layer) in model.layers.enumerated() {
      switch layer.kind {
      case .lstm, .bidirectional, .gru:
        let states = calibration.states[index]
        var range = calibration.outputs[index]
        for state in states { range = Calibration.union(range, state.hidden) }
        let output = Self.activationParameters(range, type: type)
        var directions: [QuantizedRecurrentDirection] = []
        for (slot, recurrent) in layer.kind.recurrentDirections.enumerated() {
          let cell = slot < states.count ? states[slot].cell : nil
          try Self.naming(layer) {
            switch recurrent {
            case .lstm(let lstm): directions.append(try quantizeLSTM(lstm, input: current, hidden: output, cell: cell))
            case .gru(let gru): directions.append(try quantizeGRU(gru, input: current, hidden: output))
            }
          }
        }
        layers.append(QuantizedLayer(output: output, directions: directions))
        current = output
      case .dense(let dense), .timeDistributedDense(let dense):
        let output = Self.activationParameters(calibration.outputs[index], type: type)
        let matrix = try Self.naming(layer) {
          try quantizeMatrix(dense.kernel, bias: dense.bias?.data, input: current, outputScale: Double(output.scale))
        }
        layers.append(QuantizedLayer(output: output, dense: matrix))
        current = output
      case .activation, .lastTimeStep:
        layers.append(QuantizedLayer(output: current))
      case .embedding(let embedding):
        // Every row can be looked up: the table's own range, widened by what calibration saw.
        let range = Calibration.union(calibration.outputs[index], Calibration.widen(nil, embedding.table.data))
        let output = Self.activationParameters(range, type: type)
        let table = embedding.table.data.map { value -> Int32 in
          let code = (Double(value) / Double(output.scale)).rounded() + Double(output.zeroPoint)
          return Self.clamped(code, Double(type.range.lowerBound), Double(type.range.upperBound))
        }
        layers.append(
          QuantizedLayer(output: output, embedding: IntegerTensor(type, shape: embedding.table.shape, data: table)))
        current = output
      case .masking:
        throw QuantizationError.unsupported(layer: layer.name, reason: "no integer form yet")
      }
    }
    var result = model
    result.quantization = QuantizedModel(
      scheme: scheme, granularity: granularity, input: input, layers: layers)
    return result
  }

  /// One LSTM direction: per gate, `W` to Q3.12 at the input's scale, `U` to Q3.12 at the hidden state's.
  func quantizeLSTM(
    _ lstm: LSTMLayer, input: QuantizationParameters, hidden: QuantizationParameters, cell: ClosedRange<Float>?
  ) throws -> QuantizedRecurrentDirection {
    var gates: [String: QuantizedGate] = [:]
    for gate in Gate.allCases {
      let weights = lstm.weights[gate]
      gates[gate.rawValue] = QuantizedGate(
        input: try quantizeMatrix(weights.W, bias: weights.b.data, input: input, outputScale: 1.0 / 4096),
        recurrent: try quantizeMatrix(weights.U, bias: nil, input: hidden, outputScale: 1.0 / 4096))
    }
    let cellMaximum = max(abs(cell?.lowerBound ?? 0), abs(cell?.upperBound ?? 0))
    let integerBits = cellMaximum <= 1 ? 0 : min(15, Int(Foundation.ceil(Foundation.log2(Double(cellMaximum)))))
    let (multiplier, shift) = try FixedPoint.multiplier(for: 1.0 / 1_073_741_824 / Double(hidden.scale))
    let clip = lstm.clip.map { Int32(min(32767, (Double($0) * 4096).rounded())) }
    return QuantizedRecurrentDirection(
      direction: lstm.direction, gates: gates, cellFractionBits: 15 - integerBits, cellMaximum: cellMaximum,
      hiddenMultiplier: multiplier, hiddenShift: shift, gateClip: clip)
  }

  /// One GRU direction: per gate, `W` (with `b`) to Q3.12 at the input's scale, `U` to Q3.12 at
  /// the hidden state's; the candidate's `U` carries the recurrent bias `bU`, since with
  /// reset-after it sits inside the reset product.
  func quantizeGRU(
    _ gru: GRULayer, input: QuantizationParameters, hidden: QuantizationParameters
  ) throws -> QuantizedRecurrentDirection {
    var gates: [String: QuantizedGate] = [:]
    for gate in GRUGate.allCases {
      let weights = gru.weights[gate]
      let recurrentBias = gate == .candidate ? gru.weights.candidateRecurrentBias.data : nil
      gates[gate.rawValue] = QuantizedGate(
        input: try quantizeMatrix(weights.W, bias: weights.b.data, input: input, outputScale: 1.0 / 4096),
        recurrent: try quantizeMatrix(weights.U, bias: recurrentBias, input: hidden, outputScale: 1.0 / 4096))
    }
    let (multiplier, shift) = try FixedPoint.multiplier(for: 1.0 / 1_073_741_824 / Double(hidden.scale))
    let clip = gru.clip.map { Int32(min(32767, (Double($0) * 4096).rounded())) }
    return QuantizedRecurrentDirection(
      direction: gru.direction, gates: gates, cellFractionBits: 15, cellMaximum: 0,
      hiddenMultiplier: multiplier, hiddenShift: shift, gateClip: clip)
  }

  /// Runs `body`, giving a refusal that names no layer `layer`'s name.
  static func naming<T>(_ layer: Layer, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch QuantizationError.unsupported(let name, let reason) where name.isEmpty {
      throw QuantizationError.unsupported(layer: layer.name, reason: reason)
    }
  }

  /// `kernel` `[rows, columns]` quantized symmetric int8, its bias folded at scale
  /// `s_x * s_w` with the input zero point, and multipliers for `s_x * s_w / outputScale`.
  func quantizeMatrix(
    _ kernel: Tensor, bias: [Float]?, input: QuantizationParameters, outputScale: Double
  ) throws -> QuantizedMatrix {
    let rows = kernel.shape[0]
    let columns = kernel.shape.count > 1 ? kernel.shape[1] : 0
    func maxAbs(_ values: ArraySlice<Float>) -> Float { values.reduce(0) { max($0, abs($1)) } }
    let scales: [Float]
    switch granularity {
    case .perChannel:
      scales = (0..<rows).map { row in
        let m = maxAbs(kernel.data[(row * columns)..<((row + 1) * columns)])
        return m > 0 && m.isFinite ? m / 127 : 1
      }
    case .perTensor:
      let m = maxAbs(kernel.data[...])
      scales = [m > 0 && m.isFinite ? m / 127 : 1]
    }
    var weights = [Int32](repeating: 0, count: rows * columns)
    var folded = [Int32](repeating: 0, count: rows)
    var multipliers: [Int32] = []
    var shifts: [Int32] = []
    let limit = Double(IntegerSupport.maximumBias(scheme))
    for row in 0..<rows {
      let scale = Double(scales[scales.count == 1 ? 0 : row])
      var sum: Int64 = 0
      for k in 0..<columns {
        let q = Self.clamped(Double(kernel.data[row * columns + k]) / scale, -127, 127)
        weights[row * columns + k] = q
        sum += Int64(q)
      }
      let real = Double(bias?[row] ?? 0) / (Double(input.scale) * scale)
      if scheme == .int16x8_16, abs(real) > limit {
        // Clamping would compute another model; int16x8_16 refuses instead.
        throw QuantizationError.unsupported(
          layer: "", reason: "a bias of \(bias?[row] ?? 0) is \(Int64(real)) steps of s_x s_w, beyond int32")
      }
      let value = Double(Self.clamped(real, -limit, limit)) - Double(input.zeroPoint) * Double(sum)
      folded[row] = Self.clamped(value, -limit, limit)
    }
    for scale in scales {
      let (multiplier, shift) = try FixedPoint.multiplier(for: Double(input.scale) * Double(scale) / outputScale)
      if scheme == .int16x8_16, shift > FixedPoint.maximumWideShift {
        throw QuantizationError.scaleOutOfRange(Double(input.scale) * Double(scale) / outputScale)
      }
      multipliers.append(multiplier)
      shifts.append(shift)
    }
    return QuantizedMatrix(
      weights: IntegerTensor(.int8, shape: [rows, columns], data: weights),
      scales: Tensor(shape: [scales.count], data: scales),
      bias: IntegerTensor(.int32, shape: [rows], data: folded),
      multipliers: IntegerTensor(.int32, shape: [scales.count], data: multipliers),
      shifts: IntegerTensor(.int32, shape: [scales.count], data: shifts))
  }

  /// `x` rounded half away from zero and clamped to `low...high`; NaN gives 0.
  static func clamped(_ x: Double, _ low: Double, _ high: Double) -> Int32 {
    guard !x.isNaN else { return 0 }
    return Int32(max(low, min(high, x.rounded())))
  }

  /// Asymmetric parameters for values in `range` (widened to hold 0).
  static func activationParameters(_ range: ClosedRange<Float>?, type: IntegerElementType) -> QuantizationParameters {
    let low = min(range?.lowerBound ?? 0, 0)
    var high = max(range?.upperBound ?? 0, 0)
    if type == .int16 {
      // int16x8_16: symmetric, zero point 0, scale max|x| / 32767 (TensorFlow Lite's 16x8).
      var peak = max(-low, high)
      if !(peak > 0 && peak.isFinite) { peak = 1 }
      return QuantizationParameters(scale: peak / 32767, zeroPoint: 0, minimum: low, maximum: high)
    }
    if high - low <= 0 { high = 1 }
    let levels = Double(type.range.upperBound) - Double(type.range.lowerBound)
    let scale = Float((Double(high) - Double(low)) / levels)
    let zero = (Double(type.range.lowerBound) - Double(low) / Double(scale)).rounded()
    let zeroPoint = clamped(zero, Double(type.range.lowerBound), Double(type.range.upperBound))
    return QuantizationParameters(scale: scale, zeroPoint: zeroPoint, minimum: low, maximum: high)
  }
}
