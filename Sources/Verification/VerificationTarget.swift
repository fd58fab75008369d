/// Where `verify` runs a model: lstmc's interpreter or generated code.
public enum VerificationTarget: String, Sendable, Codable, CaseIterable {
  /// lstmc's reference interpreter.
  case interpreter
  /// Generated C built with the host's `cc`.
  case c
  /// Generated Swift built with `swiftc`.
  case swift
  /// Generated C for a Cortex-M4F under `qemu-system-arm`.
  case cCortexM4 = "c-cortex-m4"
  /// Generated C for a Cortex-M3 (soft float) under `qemu-system-arm`.
  case cCortexM3 = "c-cortex-m3"
  /// Generated Embedded Swift for a Cortex-M4F under `qemu-system-arm`.
  case swiftCortexM4 = "swift-cortex-m4"

  /// The targets this build of lstmc can run.
  public static let available: [VerificationTarget] = [.interpreter]
}
