import Foundation
import Stencil
import Templates

/// Renders the C templates: the user's folder (if any) first, then lstmc's bundled `c/` folder.
struct TemplateRenderer {
  private let environment: Environment
  private let loader: FolderLoader

  /// The bundled C templates.
  static var bundledFolder: URL { Templates.root.appendingPathComponent("c") }

  init(userFolder: URL?, language: String = "c") throws {
    var folders: [URL] = []
    if let userFolder {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: userFolder.path, isDirectory: &isDirectory), isDirectory.boolValue
      else { throw CodeGenError.templatesNotFound(path: userFolder.path) }
      folders.append(userFolder)
    }
    folders.append(Templates.root.appendingPathComponent(language))
    loader = FolderLoader(folders: folders)
    environment = Environment(loader: loader, trimBehaviour: .smart)
  }

  /// Renders template `name` with `context`.
  func render(_ name: String, context: [String: Any]) throws -> String {
    do {
      return try environment.renderTemplate(name: name, context: context)
    } catch let error as CodeGenError {
      throw error
    } catch let error as TemplateDoesNotExist {
      throw CodeGenError.templateFailed(
        template: name, reason: "\(error.description.replacingOccurrences(of: "in loader ", with: "in "))")
    } catch let error as TemplateSyntaxError {
      let location = error.token.map { " (\($0.sourceMap.filename ?? name) line \($0.sourceMap.location.lineNumber))" }
      throw CodeGenError.templateFailed(template: name, reason: error.reason + (location ?? ""))
    } catch {
      throw CodeGenError.templateFailed(template: name, reason: "\(error)")
    }
  }
}
