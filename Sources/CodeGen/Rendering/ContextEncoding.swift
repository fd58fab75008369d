import Foundation

/// Turns a typed context into the `[String: Any]` Stencil reads, through JSON, so that templates
/// see exactly the documented keys (absent optionals are absent keys).
enum ContextEncoding {
  static func dictionary<Context: Encodable>(_ context: Context) throws -> [String: Any] {
    let data = try JSONEncoder().encode(context)
    guard let dictionary = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      preconditionFailure("a template context must encode as a JSON object")
    }
    return dictionary
  }
}
