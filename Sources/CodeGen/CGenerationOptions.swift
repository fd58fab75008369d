import Foundation

/// What ``CCodeGenerator/generate(_:testCases:options:)`` writes and how.
public struct CGenerationOptions: Sendable {
  /// The symbol prefix and file name stem: a C identifier (`name_step`, `NAME_INPUT_SIZE`, `name.h`).
  public var name: String
  /// The length of the sequence buffers in the state of a model that must buffer (one with a
  /// backward or Bidirectional layer); `name_predict` rejects longer sequences. Unused by models that stream.
  public var maxSteps: Int
  /// Exact (libm) or fast (own approximations) sigmoid and tanh.
  public var math: MathMode
  /// The processor family the recurrent layers' loops and weight layout are shaped for
  /// (see ``TargetCore``). C only: the Swift generator always uses the axpy layout.
  public var targetCore: TargetCore
  /// The fused axpy layout instead of `targetCore`'s (the Swift generator's only one).
  var usesAxpyLayout = false
  /// A folder of user templates searched before the bundled ones (`--templates DIR`); `nil` for the bundled only.
  public var templatesDirectory: URL?
  /// The command line, for the provenance comment (keep it free of absolute paths for reproducible output).
  public var commandLine: String
  /// The lstmc version, for the provenance comment.
  public var toolVersion: String
  /// Measured code size of the compiled model in bytes, written into the header's memory report
  /// (`nil` leaves the placeholder line).
  public var codeBytes: Int?
  /// Measured stack use of `name_predict` in bytes, written into the header's memory report
  /// (`nil` leaves the placeholder line).
  public var stackBytes: Int?
  /// Measured stack use of `name_step` in bytes (streaming models), for the memory report.
  public var stepStackBytes: Int?
  /// Declare the weight tables `extern` instead of defining them with their values: a source that
  /// compiles to the same code quickly, for measuring code size and stack (not for use).
  public var declaresTablesOnly = false

  /// The largest accepted ``maxSteps``.
  public static let maxStepsLimit = 1_000_000

  /// Checks ``name`` and ``maxSteps`` (``CCodeGenerator/generate(_:testCases:options:)`` does too).
  ///
  /// - Throws: ``CodeGenError/invalidName(_:)`` or ``CodeGenError/invalidMaxSteps(_:)``.
  public func validate() throws {
    guard CIdentifier.isValidPrefix(name) else { throw CodeGenError.invalidName(name) }
    guard (1...Self.maxStepsLimit).contains(maxSteps) else { throw CodeGenError.invalidMaxSteps(maxSteps) }
  }

  /// Creates options; every argument has a default.
  public init(
    name: String = "model", maxSteps: Int = 128, math: MathMode = .exact, targetCore: TargetCore = .host,
    templatesDirectory: URL? = nil,
    commandLine: String = "", toolVersion: String = "", codeBytes: Int? = nil, stackBytes: Int? = nil,
    stepStackBytes: Int? = nil
  ) {
    self.name = name
    self.maxSteps = maxSteps
    self.math = math
    self.targetCore = targetCore
    self.templatesDirectory = templatesDirectory
    self.commandLine = commandLine
    self.toolVersion = toolVersion
    self.codeBytes = codeBytes
    self.stackBytes = stackBytes
    self.stepStackBytes = stepStackBytes
  }

  /// These options with the axpy layout (the Swift generator's only one).
  var withAxpyLayout: CGenerationOptions {
    var options = self
    options.targetCore = .host
    options.usesAxpyLayout = true
    return options
  }

  /// The gate rows per block of the dot-product kernel `name_rows`, `nil` for the axpy layout.
  var rowBlock: Int? { usesAxpyLayout ? nil : targetCore.rowBlock }
}
