import CHDF5
import Foundation

/// Process-wide HDF5 housekeeping: one lock around every call into the library
/// and HDF5's own error printing switched off.
///
/// The wrapper's types take the lock for each operation (including closing
/// handles in `deinit`), so HDF5 is never entered from two threads at once,
/// whether or not the installed library was built thread-safe.
enum HDF5Library {
  private static let lock = NSRecursiveLock()

  /// How many ``locked(_:)`` calls are under way (nested calls count each): non-zero exactly while this
  /// process is inside a region that calls libhdf5. A fixed address, so a signal handler can read it.
  nonisolated(unsafe) static let depth: UnsafeMutablePointer<Int> = {
    let pointer = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return pointer
  }()

  /// The largest number of elements (or string bytes) the wrapper reads from one object.
  static let maximumElementCount = 1 << 26

  /// Runs `body` holding the HDF5 lock, with HDF5's automatic error printing off.
  static func locked<T>(_ body: () throws -> T) rethrows -> T {
    lock.lock()
    depth.pointee += 1
    defer {
      depth.pointee -= 1
      lock.unlock()
    }
    lstmc_H5_silence_errors()
    return try body()
  }

  /// The product of `dimensions`, or `nil` when it overflows or exceeds ``maximumElementCount``.
  static func elementCount(_ dimensions: [Int]) -> Int? {
    var total = 1
    for dimension in dimensions {
      guard dimension >= 0 else { return nil }
      let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
      guard !overflow, product <= maximumElementCount else { return nil }
      total = product
    }
    return total
  }
}
