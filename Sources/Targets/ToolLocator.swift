import Foundation

/// Finds the external tools lstmc builds and runs generated code with.
public enum ToolLocator {
  /// A tool lstmc may need, with what to install when it is missing.
  public struct Tool: Equatable, Sendable {
    /// The executable's name (or a path).
    public var name: String
    /// How to get it, for the error message.
    public var remedy: String

    /// Creates a tool description.
    public init(name: String, remedy: String) {
      self.name = name
      self.remedy = remedy
    }

    /// The GNU Arm Embedded C compiler, with newlib (full, not nano) for its C library.
    public static let armGCC = Tool(
      name: "arm-none-eabi-gcc", remedy: "install gcc-arm-none-eabi and libnewlib-arm-none-eabi")
    /// `arm-none-eabi-size`, from binutils-arm-none-eabi (a dependency of gcc-arm-none-eabi).
    public static let armSize = Tool(
      name: "arm-none-eabi-size", remedy: "install binutils-arm-none-eabi (comes with gcc-arm-none-eabi)")
    /// The Arm system emulator that runs the MPS2 boards.
    public static let qemu = Tool(name: "qemu-system-arm", remedy: "install qemu-system-arm")

    /// The host's C compiler, `name` being `$CC` or `cc`.
    public static func hostCompiler(_ name: String) -> Tool {
      Tool(name: name, remedy: "install a C compiler (gcc or clang), or set CC to one")
    }
  }

  /// The executable for `name`: the path itself when `name` contains a `/`,
  /// otherwise the first match on `PATH`; `nil` when there is none.
  public static func find(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> URL?
  {
    if name.contains("/") {
      return isExecutableFile(name) ? URL(fileURLWithPath: name) : nil
    }
    let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":", omittingEmptySubsequences: true) {
      let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
      if isExecutableFile(candidate.path) { return candidate }
    }
    return nil
  }

  private static func isExecutableFile(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
      && FileManager.default.isExecutableFile(atPath: path)
  }

  /// The executable for `tool`.
  ///
  /// - Throws: ``CProgramError/toolNotFound(tool:remedy:)``.
  public static func require(_ tool: Tool, environment: [String: String] = ProcessInfo.processInfo.environment)
    throws -> URL
  {
    guard let url = find(tool.name, environment: environment) else {
      throw CProgramError.toolNotFound(tool: tool.name, remedy: tool.remedy)
    }
    return url
  }
}
