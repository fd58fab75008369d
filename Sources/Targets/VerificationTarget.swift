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

  /// The targets this build of lstmc can run (given their tools: see
  /// ``VerificationError/toolMissing(target:tool:remedy:)``).
  public static let available: [VerificationTarget] = [
    .interpreter, .c, .cCortexM4, .cCortexM3, .swift, .swiftCortexM4,
  ]

  /// The ``available`` targets whose tools are installed on this machine (for `--target all`).
  public static var installed: [VerificationTarget] {
    available.filter { (try? $0.requireTools()) != nil }
  }

  /// Checks that the tools this target needs are installed.
  ///
  /// - Throws: ``VerificationError/toolMissing(target:tool:remedy:)`` naming the first missing tool.
  public func requireTools() throws {
    try GeneratedCRun.requireTools(for: self)
    try GeneratedSwiftRun.requireTools(for: self)
  }
}
