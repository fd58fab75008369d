/// The direction in which a recurrent layer walks the time axis.
public enum Direction: String, Sendable, Codable, CaseIterable {
  /// From the first timestep to the last.
  case forward
  /// From the last timestep to the first (Keras `go_backwards`, ONNX `reverse`).
  case backward
}
