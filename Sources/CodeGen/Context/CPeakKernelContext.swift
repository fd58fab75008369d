/// One multiply-add kernel of the peak microbenchmark.
struct CPeakKernelContext: Encodable {
  /// The number of independent accumulator chains (floats), a multiple of every SIMD width.
  var lanes: Int
}
