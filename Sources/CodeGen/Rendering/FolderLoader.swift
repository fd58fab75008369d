import Foundation
import Stencil

/// Loads templates from folders, the first folder that has a file winning, and keeps each
/// template once loaded (partials are included many times per file).
///
/// Partials (file names starting with `_`) are also kept process-wide, keyed by their file's path
/// and contents: a process that generates code many times (the test suite, `verify` on several
/// targets) parses each only once, which was a quarter of the CPU time of a debug-build
/// `generate c`. Only partials are shared because Stencil renders an included template with the
/// includer's context and never writes to it, while a top-level template gets its environment
/// assigned on every render.
final class FolderLoader: Loader, CustomStringConvertible {
  /// The folders searched, in order.
  let folders: [URL]
  private var cache: [String: Template] = [:]

  /// Parsed partials shared by every loader, by file path and text.
  nonisolated(unsafe) private static var partials: [String: Template] = [:]
  private static let partialsLock = NSLock()

  init(folders: [URL]) {
    self.folders = folders
  }

  var description: String { folders.map(\.path).joined(separator: ", ") }

  func loadTemplate(name: String, environment: Environment) throws -> Template {
    if let template = cache[name] { return template }
    // Template names are plain relative paths; nothing may climb out of the folders.
    guard !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else {
      throw TemplateDoesNotExist(templateNames: [name], loader: self)
    }
    for folder in folders {
      let url = folder.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: url.path) else { continue }
      let text: String
      do {
        text = try String(contentsOf: url, encoding: .utf8)
      } catch {
        throw CodeGenError.templateFailed(template: url.path, reason: "cannot be read as UTF-8 text")
      }
      let isPartial = url.lastPathComponent.hasPrefix("_")
      let key = url.path + "\u{0}" + text
      if isPartial, let shared = Self.partialsLock.withLock({ Self.partials[key] }) {
        cache[name] = shared
        return shared
      }
      let template = environment.templateClass.init(templateString: text, environment: environment, name: name)
      cache[name] = template
      if isPartial { Self.partialsLock.withLock { Self.partials[key] = template } }
      return template
    }
    throw TemplateDoesNotExist(templateNames: [name], loader: self)
  }
}
