import FixtureFormat
import Foundation

/// NumPy `.npy` bytes, as `lstmc quantize --calibrate` and `--bind` read them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNumPy(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  _ = try? NumPyArray(data: Data(bytes: start, count: count))
  return 0
}
