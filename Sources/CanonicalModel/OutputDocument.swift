/// A model output as stored in `lstmc-model-1` metadata.
struct OutputDocument: Codable, Equatable {
  var name: String
  var layer: Int
  /// ``LayerPort/identifier``: `output`, `h.forward`, `c.backward`, ...
  var port: String
  /// ``ModelOutput/fileAxes`` (absent when `nil`).
  var fileAxes: [AxisSource]?
  /// ``ModelOutput/concatenatedLayers`` (absent when `nil`, so older files read unchanged).
  var layers: [Int]?
}
