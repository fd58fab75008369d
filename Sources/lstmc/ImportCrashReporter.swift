import Foundation
import KerasImport

/// Tells, inside the `lstmc _import` child, whether a fatal signal hit libhdf5 or lstmc's own code.
///
/// The HDF5 wrapper counts the regions that call libhdf5 (``KerasImporter/isInsideLibHDF5``). On a fatal
/// signal (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE) the handler writes one marker line to
/// stderr, ``hdf5Marker`` when the crash happened inside such a region and ``lstmcMarker`` otherwise
/// (a Swift runtime trap in lstmc's code is SIGILL or SIGTRAP outside them), then dies of the same
/// signal. ``IsolatedImporter`` turns the marker into its one-line error. The signal type alone would not
/// do: libhdf5 may abort, and lstmc's code may fault on memory as well.
enum ImportCrashReporter {
  /// The line written when the crash happened inside a libhdf5 call.
  static let hdf5Marker = "lstmc-import-crash: libhdf5"
  /// The line written when it happened in lstmc's own code.
  static let lstmcMarker = "lstmc-import-crash: lstmc"

  /// The marker lines as C strings, made before any signal (the handler only reads them).
  nonisolated(unsafe) static let hdf5Line: UnsafeMutablePointer<CChar> = strdup("\n\(hdf5Marker)\n")!
  nonisolated(unsafe) static let lstmcLine: UnsafeMutablePointer<CChar> = strdup("\n\(lstmcMarker)\n")!

  /// Installs the handler on an alternate stack (so that a stack overflow is reported too).
  static func install() {
    _ = (hdf5Line, lstmcLine, KerasImporter.isInsideLibHDF5)  // initialise before any signal
    let size = 1 << 16
    var stack = stack_t(ss_sp: malloc(size), ss_flags: 0, ss_size: size)
    sigaltstack(&stack, nil)
    for signal in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { signal in
        let line = KerasImporter.isInsideLibHDF5 ? ImportCrashReporter.hdf5Line : ImportCrashReporter.lstmcLine
        _ = write(2, line, strlen(line))
        raise(signal)  // SA_RESETHAND: the default action, so the parent sees the signal
      }
      action.sa_flags = Int32(SA_ONSTACK) | Int32(bitPattern: UInt32(SA_RESETHAND))
      sigemptyset(&action.sa_mask)
      sigaction(signal, &action, nil)
    }
  }
}
