import Foundation
import Targets
import Verification

/// Scratch folders and tool checks for the tests that build C.
enum CBuildSupport {
  /// Whether `arm-none-eabi-gcc` (with newlib) is installed.
  static let hasArmCompiler: Bool = (try? CProgramRunner(target: .cortexM0).checkTools(running: false)) != nil
  /// Whether `arm-none-eabi-gcc`, newlib and `qemu-system-arm` are all installed.
  static let canRunCortexM: Bool = (try? CProgramRunner(target: .cortexM4).checkTools(running: true)) != nil

  /// Set by `.ci/run`: the Cortex-M tools must be there, so their tests cannot silently skip.
  static let cortexMRequired = ProcessInfo.processInfo.environment["LSTMC_REQUIRE_CORTEX_M"] == "1"

  /// The Cortex-M targets lstmc runs under qemu.
  static let emulated: [CTarget] = [.cortexM4, .cortexM3]

  /// A fresh folder, removed by the caller (`defer { remove(folder) }`).
  static func scratch(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lstmc-test-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static func remove(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
  }

  /// Writes `text` to `name` in `folder` and returns its URL.
  static func write(_ text: String, to name: String, in folder: URL) throws -> URL {
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }
}
