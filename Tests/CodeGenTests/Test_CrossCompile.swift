import CodeGen
import Foundation
import Testing

/// The model code of every Keras fixture compiles without a single warning with
/// arm-none-eabi-gcc for a Cortex-M4F (hard float, in the cortex-m4 layout with its vldmia) and a
/// Cortex-M3 (cortex-m3 layout) in exact math, and that of a covering subset also in fast math and
/// for a Cortex-M0 (soft float, host layout), under the same strict flags as on the host. (Running it on the
/// emulated boards is `verify --target c-cortex-m4/m3`, in VerificationTests.)
@Suite struct CrossCompileTests {
  static let compiler: String? = ["/usr/bin/arm-none-eabi-gcc", "/usr/local/bin/arm-none-eabi-gcc"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  static let cores: [(String, [String], TargetCore)] = [
    ("cortex-m4", ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"], .cortexM4),
    ("cortex-m3", ["-mcpu=cortex-m3", "-mthumb", "-mfloat-abi=soft"], .cortexM3),
    ("cortex-m0", ["-mcpu=cortex-m0", "-mthumb", "-mfloat-abi=soft"], .host),
  ]

  @Test(.enabled(if: compiler != nil, "arm-none-eabi-gcc is not installed"), arguments: MathMode.allCases)
  func everyFixtureModelCompilesCleanlyForCortexM(math: MathMode) throws {
    let compiler = try #require(Self.compiler)
    let folder = try TemporaryFolder()
    var failures: [String] = []
    let covering = Set(Repository.coveringManifest.map(\.fixture))
    #expect(covering.count >= 20)
    for (index, entry) in try Repository.manifest().enumerated() {
      let name = "m\(index)"
      let model = try KerasFixture.model(entry.model)
      // Exact math on the M4F and M3 for every fixture; fast math (other activation code only) and the
      // M0 (the host layout, compiled for the host elsewhere) on the covering subset, for CI's budget.
      for (core, flags, layout) in Self.cores
      where (math == .exact && core != "cortex-m0") || covering.contains(entry.fixture) {
        try folder.write(
          try CCodeGenerator.generate(
            model, testCases: [], options: CGenerationOptions(name: name, math: math, targetCore: layout)))
        let result = try Host.run(
          compiler, Host.strictFlags + flags + ["-Os", "-c", "\(name).c", "-o", "\(name)-\(core).o"], in: folder.url)
        if result.status != 0 {
          failures.append(
            "\(entry.model) on \(core): \(result.error.split(separator: "\n").prefix(3).joined(separator: " | "))")
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
  }
}
