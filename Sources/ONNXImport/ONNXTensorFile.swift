import Foundation

/// Reads the ONNX test-data convention's `input_K.pb` / `output_K.pb` files
/// (each a serialized `onnx.TensorProto`).
public enum ONNXTensorFile {
  /// Decodes the tensor stored at `url`.
  public static func read(_ url: URL, limits: ONNXLimits = .default) throws -> ONNXTensor {
    let data = try Data(contentsOf: url)
    guard data.count <= limits.maximumFileSize else {
      throw ONNXImportError.fileTooLarge(bytes: data.count, limit: limits.maximumFileSize)
    }
    return try ONNXDecoder(limits: limits, folder: url.deletingLastPathComponent()).decodeTensor(data)
  }
}
