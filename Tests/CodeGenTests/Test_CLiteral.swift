import Foundation
import Testing

@testable import CodeGen

/// C literals: floats read back exactly, strings and comments are safe.
@Suite struct Test_CLiteral {
  static let samples: [Float] = [
    0, -0.0, 1, -1, 0.1, 1e-5, 3.4028235e38, -3.4028235e38, Float.leastNormalMagnitude, Float.leastNonzeroMagnitude,
    16_777_216, 123_456_792,
    0.333333343, 1e10, -2.5e-7, Float.ulpOfOne, 1 + Float.ulpOfOne,
  ]

  @Test func floatLiteralsRoundTripExactly() {
    var generator = SystemRandomNumberGenerator()
    let random = (0..<20_000).map { _ in Float(bitPattern: UInt32.random(in: 0...0x7F7F_FFFF, using: &generator)) }
    for value in Self.samples + random + random.map(-) {
      let literal = CLiteral.float(value)
      #expect(literal.hasSuffix("f"))
      #expect(literal.contains(".") || literal.contains("e"), "\(literal) is not a floating literal")
      let parsed = Float(String(literal.dropLast()))
      #expect(parsed?.bitPattern == value.bitPattern, "\(value) became \(literal)")
    }
    #expect(CLiteral.float(1e-5) == "1.0e-05f")
    #expect(CLiteral.float(-0.0) == "-0.0f")
    #expect(CLiteral.float(2) == "2.0f")
    #expect(CLiteral.float(.infinity) == "INFINITY")
    #expect(CLiteral.float(-.infinity) == "-INFINITY")
    #expect(CLiteral.float(.nan) == "NAN")
    #expect(CLiteral.double(1e-4) == "0.0001")
    #expect(CLiteral.double(1e-5) == "1.0e-05")
  }

  @Test func linesHoldEightValues() {
    let lines = CLiteral.lines((0..<19).map(Float.init))
    #expect(lines.count == 3)
    #expect(lines[0] == "    0.0f, 1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f,")
    #expect(lines[2] == "    16.0f, 17.0f, 18.0f,")
  }

  @Test func stringsAndComments() {
    #expect(CLiteral.string("dense_1") == "\"dense_1\"")
    #expect(CLiteral.string("a\"b\\c??=") == "\"a\\\"b\\\\c\\?\\?=\"")
    #expect(CLiteral.string("é\n") == "\"\\303\\251\\012\"")
    #expect(CLiteral.comment("a */ b /* c\nd") == "a * / b / * c?d")
  }
}
