import CanonicalModel
import Foundation

/// Safetensors bytes: the container, then the canonical model in its metadata, as `lstmc` reads a
/// `.safetensors` model.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let data = Data(bytes: start, count: count)
  _ = try? SafetensorsFile(data: data)
  if let model = try? ModelArchive.decode(data) { _ = try? model.fileOutputShapes() }
  return 0
}
