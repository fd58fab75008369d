/// The context of `templates/c/bench/peak.c.stencil`, the float32 multiply-add peak
/// microbenchmark of `lstmc bench`. Its shape is documented in `templates/README.md`.
struct CPeakContext: Encodable {
  /// The kernels, one per lane count; the fastest one is the peak.
  var kernels: [CPeakKernelContext]
  /// Timed runs per kernel (the best is kept).
  var runs: Int
  /// The shortest timed run, in milliseconds (the iteration count doubles until a run is this long).
  var minimumRunMilliseconds: Int
  /// Independent 32-bit lanes of the read-bandwidth kernel (one block is `readLanes` words).
  var readLanes: Int
}
