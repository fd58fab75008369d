import CanonicalModel
import Foundation

/// The quantized part of `inspect`'s output: scheme, bytes, and per-layer ranges.
struct QuantizationSummary: Codable {
  struct LayerEntry: Codable {
    var name: String
    var range: [Float]
    var scale: Float
    var zeroPoint: Int32
    /// Per recurrent direction, the cell state's fraction bits.
    var cellFractionBits: [Int]?
    var bytes: Int
  }

  var scheme: String
  var granularity: String
  var integerBytes: Int
  var input: LayerEntry
  var layers: [LayerEntry]

  init(_ quantized: QuantizedModel, model: Model) {
    scheme = quantized.scheme.rawValue
    granularity = quantized.granularity.rawValue
    integerBytes = quantized.byteCount
    func entry(_ name: String, _ parameters: QuantizationParameters, _ layer: QuantizedLayer?) -> LayerEntry {
      LayerEntry(
        name: name, range: [parameters.minimum, parameters.maximum], scale: parameters.scale,
        zeroPoint: parameters.zeroPoint,
        cellFractionBits: (layer?.directions.isEmpty ?? true) ? nil : layer?.directions.map(\.cellFractionBits),
        bytes: layer?.byteCount ?? 0)
    }
    input = entry(model.inputs[0].name, quantized.input, nil)
    layers = zip(model.layers, quantized.layers).map { entry($0.name, $1.output, $1) }
  }

  /// The lines `inspect` prints.
  var lines: [String] {
    func number(_ value: Float) -> String { String(format: "%.6g", Double(value)) }
    func describe(_ entry: LayerEntry) -> String {
      "range [\(number(entry.range[0])), \(number(entry.range[1]))], scale \(number(entry.scale)), "
        + "zero point \(entry.zeroPoint)"
        + (entry.cellFractionBits.map { bits in
          "; cell " + bits.map { "Q\(15 - $0).\($0)" }.joined(separator: ", ")
        } ?? "")
    }
    var lines = [
      "quantized: \(scheme), \(granularity) weights, \(integerBytes) bytes of integer tensors "
        + "(run and verify use the integer reference)",
      "  input \(input.name): \(describe(input))",
    ]
    for layer in layers {
      lines.append("  \(layer.name): \(describe(layer))" + (layer.bytes > 0 ? "; \(layer.bytes) bytes" : ""))
    }
    return lines
  }
}
