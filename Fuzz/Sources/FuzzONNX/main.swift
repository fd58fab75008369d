import CanonicalModel
import Foundation
import ONNXImport

/// ONNX model bytes, imported in memory as `lstmc inspect` / `convert` would (no external data: there is no
/// folder), then written as a canonical model. Errors are expected; a trap, hang or huge allocation is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let data = Data(bytes: start, count: count)
  guard let model = try? ONNXImporter.importModel(bytes: data, fileName: "fuzz.onnx") else { return 0 }
  _ = try? model.fileOutputShapes()
  _ = try? ModelArchive.encode(model)
  return 0
}
