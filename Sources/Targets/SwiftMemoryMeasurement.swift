import Foundation

/// The size of a generated Swift model built as Embedded Swift for a Cortex-M4F.
///
/// `NAME.swift` is compiled alone with `swiftc -enable-experimental-feature Embedded -wmo -Osize
/// -parse-as-library -Xfrontend -no-allocations -target armv7em-none-none-eabi -Xcc -mfloat-abi=hard
/// -Xcc -mfpu=fpv4-sp-d16 -c` and measured with `arm-none-eabi-size`. The weight tables are global
/// `let`s that Swift initializes statically, so they land in `.text`/`.rodata` (flash) with the code;
/// the code alone is `text - weights`. Swift has no `-fstack-usage`, so stack use is not measured.
public struct SwiftMemoryMeasurement: Sendable, Equatable {
  /// `arm-none-eabi-size` of the object: flash (code and constant tables), initialized and zeroed RAM.
  public var text: Int
  public var data: Int
  public var bss: Int

  /// Builds `source` (the generated `NAME.swift`) in a temporary folder and measures the object,
  /// or returns `nil` when `swiftc` or `arm-none-eabi-size` is missing or the build fails.
  public static func measureIfAvailable(source: String, fileName: String) -> SwiftMemoryMeasurement? {
    guard let swiftc = try? ToolLocator.require(GeneratedSwiftRun.swiftc),
      let size = try? ToolLocator.require(.armSize)
    else { return nil }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lstmc-swift-size-\(UUID().uuidString.prefix(8))")
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try Data(source.utf8).write(to: folder.appendingPathComponent(fileName))
      let object = folder.appendingPathComponent("model.o")
      let built = try ProcessRunner.run(
        swiftc,
        GeneratedSwiftRun.embeddedCortexM4Flags + [
          "-parse-as-library", "-Xfrontend", "-no-allocations", "-c", fileName, "-o", object.path,
        ],
        in: folder, capture: "swiftc", timeout: 600)
      guard built.status == 0 else { return nil }
      let measured = try ProcessRunner.run(size, [object.path], in: folder, capture: "size", timeout: 60)
      guard measured.status == 0 else { return nil }
      let (text, data, bss) = MemoryMeasurement.parseBerkeley(measured.stdout)
      return SwiftMemoryMeasurement(text: text, data: data, bss: bss)
    } catch {
      return nil
    }
  }
}
