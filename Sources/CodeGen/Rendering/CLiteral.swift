import Foundation

/// Spelling values as C source text.
enum CLiteral {
  /// A `float` literal that reads back as exactly `value`: the shortest decimal that round-trips
  /// (never more than 9 significant digits, like `%.9g`), always with a `.` or an exponent and an
  /// `f` suffix, e.g. `0.5f`, `1.0e-05f`, `-0.0f`; `INFINITY`, `-INFINITY` and `NAN` (from `<math.h>`)
  /// for non-finite values.
  static func float(_ value: Float) -> String {
    if value.isNaN { return "NAN" }
    if value.isInfinite { return value < 0 ? "-INFINITY" : "INFINITY" }
    return decimal(value.description) + "f"
  }

  /// A `double` literal that reads back as exactly `value` (no suffix).
  static func double(_ value: Double) -> String {
    if value.isNaN { return "NAN" }
    if value.isInfinite { return value < 0 ? "-HUGE_VAL" : "HUGE_VAL" }
    return decimal(value.description)
  }

  /// Makes Swift's shortest round-trip spelling (`1e-05`, `100.0`, `-0.0`) a C floating literal.
  private static func decimal(_ text: String) -> String {
    var hasPoint = false
    var exponent: String.Index?
    var index = text.utf8.startIndex
    while index != text.utf8.endIndex {
      switch text.utf8[index] {
      case UInt8(ascii: "."): hasPoint = true
      case UInt8(ascii: "e"), UInt8(ascii: "E"): exponent = index
      default: break
      }
      index = text.utf8.index(after: index)
    }
    if hasPoint { return text }
    guard let exponent else { return text + ".0" }
    return text[..<exponent] + ".0" + text[exponent...]
  }

  /// A C string literal holding `text` (escaping quotes, backslashes, `?` and anything not printable ASCII).
  static func string(_ text: String) -> String {
    var result = "\""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): result += "\\\""
      case UInt8(ascii: "\\"): result += "\\\\"
      case UInt8(ascii: "?"): result += "\\?"  // no trigraphs
      case 0x20...0x7E: result.unicodeScalars.append(Unicode.Scalar(byte))
      default: result += "\\" + String(byte, radix: 8).leftPadded(to: 3)
      }
    }
    return result + "\""
  }

  /// `text` made safe inside a `/* */` comment: one line of printable ASCII without `*/`.
  static func comment(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
      if scalar.isASCII, scalar.value >= 0x20, scalar.value < 0x7F {
        result.unicodeScalars.append(scalar)
      } else {
        result += "?"
      }
    }
    while result.contains("*/") { result = result.replacingOccurrences(of: "*/", with: "* /") }
    while result.contains("/*") { result = result.replacingOccurrences(of: "/*", with: "/ *") }
    return result
  }

  /// The indentation of every line from ``lines(_:perLine:)``.
  static let lineIndentation = "    "

  /// `values` as C literals, `perLine` to a line, each line indented by four spaces and ending in a comma.
  static func lines(_ values: [Float], perLine: Int = 8) -> [String] {
    var lines: [String] = []
    lines.reserveCapacity(values.count / perLine + 1)
    var start = 0
    while start < values.count {
      let end = min(start + perLine, values.count)
      var line = lineIndentation
      line.reserveCapacity(16 * perLine)
      for index in start..<end {
        if index > start { line += " " }
        line += float(values[index])
        line += ","
      }
      lines.append(line)
      start = end
    }
    return lines
  }

  /// Integers as C literals, `perLine` to a line, indented and comma-terminated like the floats.
  static func lines(_ values: [Int32], perLine: Int = 16) -> [String] {
    stride(from: 0, to: values.count, by: perLine).map { start in
      lineIndentation + values[start..<min(start + perLine, values.count)].map { "\($0)," }.joined(separator: " ")
    }
  }
}

extension String {
  fileprivate func leftPadded(to length: Int) -> String {
    count >= length ? self : String(repeating: "0", count: length - count) + self
  }
}
