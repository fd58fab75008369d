import CanonicalModel

/// What a generated self-checking C test program (`NAME_test.c`, built with
/// `-DLSTMC_PRINT_VALUES`) printed: every actual output value, as lines
/// `values <caseIndex> <outputIndex> v0 v1 …` (batch-first, row-major), and its
/// own verdict, `result PASS` or `result FAIL`.
public struct CTestProgramOutput: Equatable, Sendable {
  /// The values by test case, then by output index.
  public var values: [Int: [Int: [Float]]]
  /// The program's verdicts, in order (`true` for PASS).
  public var verdicts: [Bool]
  /// Lines other than `result` that end in `FAIL` (its per-output, streaming or status checks).
  public var failureLines: [String]

  /// Reads a program's standard output; other lines are ignored.
  ///
  /// - Throws: a description of the first malformed `values` line.
  public init(parsing stdout: String) throws {
    values = [:]
    verdicts = []
    failureLines = []
    for line in stdout.split(whereSeparator: \.isNewline) {
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard let keyword = words.first else { continue }
      switch keyword {
      case "values":
        guard words.count >= 3, let testCase = Int(words[1]), let output = Int(words[2]) else {
          throw ParseError("malformed line '\(line.prefix(80))'")
        }
        var numbers: [Float] = []
        numbers.reserveCapacity(words.count - 3)
        for word in words.dropFirst(3) {
          guard let number = Self.float(word) else {
            throw ParseError("'\(word)' in the values of case \(testCase), output \(output) is not a number")
          }
          numbers.append(number)
        }
        values[testCase, default: [:]][output, default: []] += numbers
      case "result":
        if let verdict = words.last, verdict == "PASS" || verdict == "FAIL" { verdicts.append(verdict == "PASS") }
      default:
        if words.last == "FAIL" { failureLines.append(String(line.prefix(200))) }
      }
    }
  }

  /// The program's overall verdict: `nil` when it printed none, otherwise PASS only if every verdict was.
  public var passed: Bool? { verdicts.isEmpty ? nil : verdicts.allSatisfy { $0 } }

  /// The outputs of `testCase`, one tensor per shape in `shapes`.
  ///
  /// - Throws: when an output is missing or has the wrong number of values.
  public func outputs(ofCase testCase: Int, shapes: [[Int]]) throws -> [Tensor] {
    guard let outputs = values[testCase] else { throw ParseError("it printed no values for case \(testCase)") }
    return try shapes.enumerated().map { index, shape in
      guard let data = outputs[index] else {
        throw ParseError("it printed no values for output \(index) of case \(testCase)")
      }
      let count = shape.reduce(1, *)
      guard data.count == count else {
        throw ParseError(
          "it printed \(data.count) values for output \(index) of case \(testCase), shape \(shape) has \(count)")
      }
      return Tensor(shape: shape, data: data)
    }
  }

  /// A C `printf` number: `%g` / `%e` / `%f` text, `inf`, `nan` in either case and sign.
  static func float(_ word: Substring) -> Float? {
    if let value = Float(word) { return value }
    let lower = word.lowercased()
    let unsigned = lower.hasPrefix("-") || lower.hasPrefix("+") ? String(lower.dropFirst()) : lower
    let negative = lower.hasPrefix("-")
    if unsigned.hasPrefix("nan") { return .nan }
    if unsigned == "inf" || unsigned == "infinity" { return negative ? -.infinity : .infinity }
    return nil
  }

  /// Why a program's output could not be read.
  public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
  }
}
