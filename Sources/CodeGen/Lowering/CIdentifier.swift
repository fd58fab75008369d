/// Checks names used as C identifier prefixes.
enum CIdentifier {
  /// Whether `name` can prefix every generated symbol and name the files: 1 to 64 ASCII letters,
  /// digits and `_`, starting with a letter (a leading `_` would make reserved identifiers).
  static func isValidPrefix(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 64 else { return false }
    guard first.isASCII, isLetter(first) else { return false }
    return name.unicodeScalars.allSatisfy { $0.isASCII && (isLetter($0) || isDigit($0) || $0 == "_") }
  }

  private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
  }

  private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
}
