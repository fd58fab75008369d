import Foundation
import Stencil

/// Loads templates from folders, the first folder that has a file winning, and keeps each
/// template once loaded (partials are included many times per file).
final class FolderLoader: Loader, CustomStringConvertible {
  /// The folders searched, in order.
  let folders: [URL]
  private var cache: [String: Template] = [:]

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
      let template = environment.templateClass.init(templateString: text, environment: environment, name: name)
      cache[name] = template
      return template
    }
    throw TemplateDoesNotExist(templateNames: [name], loader: self)
  }
}
