/// A machine that generated C is built for and run on.
public enum CTarget: String, Sendable, CaseIterable, Codable {
  /// This computer, with its C compiler (`$CC`, else `cc`).
  case host
  /// A Cortex-M4F (hard float, FPv4-SP), run under `qemu-system-arm -M mps2-an386`.
  case cortexM4 = "cortex-m4"
  /// A Cortex-M3 (soft float), run under `qemu-system-arm -M mps2-an385`.
  case cortexM3 = "cortex-m3"
  /// A Cortex-M0 (soft float, Armv6-M): compiled and linked only; no qemu board lstmc uses runs it.
  case cortexM0 = "cortex-m0"

  /// Whether the target is a Cortex-M, cross-compiled with `arm-none-eabi-gcc`.
  public var isCortexM: Bool { self != .host }

  /// Whether lstmc can run programs built for the target (the Cortex-M0 is build-only).
  public var isRunnable: Bool { self != .cortexM0 }

  /// The code generation flags that select the core and its floating-point ABI.
  public var machineFlags: [String] {
    switch self {
    case .host: return []
    case .cortexM4: return ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]
    case .cortexM3: return ["-mcpu=cortex-m3", "-mthumb", "-mfloat-abi=soft"]
    case .cortexM0: return ["-mcpu=cortex-m0", "-mthumb", "-mfloat-abi=soft"]
    }
  }

  /// The `qemu-system-arm -M` board that runs the target, if any.
  public var qemuMachine: String? {
    switch self {
    case .cortexM4: return "mps2-an386"
    case .cortexM3: return "mps2-an385"
    case .host, .cortexM0: return nil
    }
  }
}
