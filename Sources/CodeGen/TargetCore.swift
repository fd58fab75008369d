/// The processor family generated C is shaped for (`generate c --target-core`): it chooses how the
/// recurrent layers' gate products are laid out and looped over. Every layout computes the same
/// sums in the same order (the bias, then the input elements, then the hidden ones), so the
/// outputs agree bit for bit wherever the compiler makes the same choice of fused multiply-add.
public enum TargetCore: String, Sendable, CaseIterable, Codable {
  /// Wide-SIMD hosts (x86-64, AArch64): dot products over blocks of 32 gate rows whose sums stay in
  /// vector registers (GNU C vector extensions on x86 with GCC or Clang, as wide as the build's
  /// flags allow, several blocks at once so 8 vector sums are in flight; a loop compilers vectorize
  /// elsewhere), each input value broadcast once per block and the weights read sequentially.
  case host
  /// Cortex-M4F and M7 (FPv4-SP/FPv5, 32 single-precision registers): dot products over blocks of
  /// 8 gate rows with the accumulators in registers, each input value loaded once per block and
  /// the weights stored in the order they are read (loaded 8 at a time with `vldmia` when built
  /// with GCC or Clang for such a core).
  case cortexM4 = "cortex-m4"
  /// Cortex-M3 and other cores without an FPU (soft float): blocks of 4 rows, whose accumulators
  /// stay in the callee-saved core registers across the float library calls.
  case cortexM3 = "cortex-m3"
  /// An unknown scalar core: blocks of 4 rows in plain C, which any register file holds.
  case generic

  /// The gate rows one block of the dot-product layout covers.
  public var rowBlock: Int? {
    switch self {
    case .host: return 32
    case .cortexM4: return 8
    case .cortexM3, .generic: return 4
    }
  }

  /// One line for the generated files' provenance comment: the layout and why.
  public var layoutSummary: String {
    switch self {
    case .host:
      return "host: dot products over blocks of 32 gate rows, sums in vector registers (GNU C vectors "
        + "on x86, 8 vector sums in flight), weights w[block][k][row] read sequentially"
    case .cortexM4:
      return "cortex-m4: dot products over blocks of 8 gate rows, accumulators in FPU registers, "
        + "weights w[block][k][row] read sequentially (vldmia on an FPv4/FPv5 core)"
    case .cortexM3:
      return "cortex-m3: dot products over blocks of 4 gate rows, accumulators in registers across the "
        + "soft-float calls, weights w[block][k][row] read sequentially"
    case .generic:
      return "generic: dot products over blocks of 4 gate rows, accumulators in registers, "
        + "weights w[block][k][row] read sequentially (portable C)"
    }
  }
}
