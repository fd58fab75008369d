import Foundation

/// A flag one thread sets and another reads: whether a watchdog fired.
final class TimeoutFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var value = false

  /// Records that the watchdog fired.
  func set() {
    lock.lock()
    value = true
    lock.unlock()
  }

  /// Whether ``set()`` was called.
  var isSet: Bool {
    lock.lock()
    defer { lock.unlock() }
    return value
  }
}
