/// Why the C generator cannot produce code. Every message is one line that says what to change.
public enum CodeGenError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `--name` is not usable as a C identifier prefix.
  case invalidName(String)
  /// `--max-steps` is outside `1...CGenerationOptions.maxStepsLimit`.
  case invalidMaxSteps(Int)
  /// The model does not pass validation.
  case invalidModel(String)
  /// The model is valid but uses something the C and Swift generators do not support.
  case unsupportedModel(String)
  /// `name_state_t` would be too large (sequence buffers of `maxSteps` steps).
  case stateTooLarge(bytes: Int, maxSteps: Int)
  /// A test case does not fit the model.
  case invalidTestCase(name: String, reason: String)
  /// The `--templates` folder does not exist.
  case templatesNotFound(path: String)
  /// A template is missing or failed to render.
  case templateFailed(template: String, reason: String)

  public var description: String {
    switch self {
    case .invalidName(let name):
      return "the name '\(name)' is not a usable C identifier; use 1 to 64 ASCII letters, digits and '_', "
        + "starting with a letter (e.g. --name model)"
    case .invalidMaxSteps(let steps):
      return "--max-steps \(steps) is out of range; use a number from 1 to \(CGenerationOptions.maxStepsLimit)"
    case .invalidModel(let reason):
      return "the model is invalid: \(reason)"
    case .unsupportedModel(let reason):
      return "the code generators (C and Swift) do not support this model: \(reason)"
    case .stateTooLarge(let bytes, let maxSteps):
      return "the state would need \(bytes) bytes for sequence buffers of --max-steps \(maxSteps) steps "
        + "(at most 2147483647); lower --max-steps"
    case .invalidTestCase(let name, let reason):
      return "test case '\(name)': \(reason)"
    case .templatesNotFound(let path):
      return "the templates folder \(path) does not exist; pass a folder holding header.h.stencil, "
        + "source.c.stencil and test.c.stencil (or some of them, the rest come from lstmc's own)"
    case .templateFailed(let template, let reason):
      return "template \(template): \(reason)"
    }
  }
}
