import ArgumentParser
import CodeGen

/// `--target-core`'s values (`generate c`, `verify`, `bench`), read into a ``CodeGen/TargetCore``.
enum TargetCoreOption {
  /// `host|cortex-m4|cortex-m3|generic`, for the help text.
  static let valueNames = TargetCore.allCases.map(\.rawValue).joined(separator: "|")

  /// The layout `value` names, `nil` for no value.
  ///
  /// - Throws: `ValidationError` (a usage error, exit 64) naming the accepted values.
  static func parse(_ value: String?) throws -> TargetCore? {
    guard let value else { return nil }
    guard let core = TargetCore(rawValue: value) else {
      throw ValidationError(
        "--target-core must be one of: \(TargetCore.allCases.map(\.rawValue).joined(separator: ", ")).")
    }
    return core
  }
}
