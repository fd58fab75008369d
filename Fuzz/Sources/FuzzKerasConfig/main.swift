import Foundation
import KerasImport

/// A Keras model config alone (`config.json` of a `.keras` archive, or an `.h5` file's `model_config`):
/// Keras config parsing and chain semantics, without libhdf5.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKerasConfig(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  _ = try? KerasImporter.checkModelConfig(Data(bytes: start, count: count))
  return 0
}
