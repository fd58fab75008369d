import CodeGen
import Foundation
import Targets
import Verification

/// Fills the generated header's memory report with measured numbers: code
/// bytes and the stack of `NAME_step` / `NAME_predict`, from compiling
/// `NAME.c` for a Cortex-M4F (`MemoryMeasurement`), when arm-none-eabi-gcc is
/// installed; otherwise the options come back unchanged.
enum CodeMeasurement {
  static func measured(_ files: [GeneratedFile], options: CGenerationOptions) -> CGenerationOptions {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lstmc-measure-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for file in files where file.name == "\(options.name).h" || file.name == "\(options.name).c" {
        try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name))
      }
      guard
        let usage = try MemoryMeasurement.measureIfAvailable(
          sources: [folder.appendingPathComponent("\(options.name).c")], includeDirectories: [folder],
          workDirectory: folder)
      else { return options }
      var measured = options
      measured.codeBytes = usage.code
      measured.stackBytes = usage.stack(of: "\(options.name)_predict")?.worstPath
      measured.stepStackBytes = usage.stack(of: "\(options.name)_step")?.worstPath
      return measured
    } catch {
      return options
    }
  }
}
