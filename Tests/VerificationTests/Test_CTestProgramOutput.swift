import CanonicalModel
import Foundation
import Testing

@testable import Targets
@testable import Verification

/// Reading back what a generated C test program printed.
@Suite struct CTestProgramOutputTests {
  @Test func readsValuesPerCaseAndOutputAndTheVerdict() throws {
    let output = try CTestProgramOutput(
      parsing: """
        case 0: model
        values 0 0 0.5 -1.25e-07 3
        values 0 1 1 2 3 4
        values 0 1 5 6
        result PASS
        """)
    #expect(output.passed == true)
    let tensors = try output.outputs(ofCase: 0, shapes: [[3], [2, 3]])
    #expect(tensors[0] == Tensor(shape: [3], data: [0.5, -1.25e-7, 3]))
    #expect(tensors[1] == Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]))
  }

  @Test func roundTripsFloat32ThroughNineDigits() throws {
    let values: [Float] = [
      0.1, -.greatestFiniteMagnitude, .leastNormalMagnitude, .leastNonzeroMagnitude, 1 / 3, -0.0, 123_456.79,
    ]
    // What the C program prints: printf("%.9g", (double)v).
    let line = "values 0 0 " + values.map { String(format: "%.9g", Double($0)) }.joined(separator: " ")
    let parsed = try CTestProgramOutput(parsing: line).outputs(ofCase: 0, shapes: [[7]])[0]
    #expect(parsed.data.map(\.bitPattern) == values.map(\.bitPattern))
  }

  @Test func acceptsCStyleSpecialValues() throws {
    let parsed = try CTestProgramOutput(parsing: "values 0 0 nan -nan inf -inf INF NAN")
    let data = parsed.values[0]![0]!
    #expect(data[0].isNaN && data[1].isNaN && data[5].isNaN)
    #expect(data[2] == .infinity && data[3] == -.infinity && data[4] == .infinity)
  }

  @Test func aFailingCaseFailsTheWholeRun() throws {
    let output = try CTestProgramOutput(parsing: "streaming FAIL\nresult PASS\nresult FAIL\n")
    #expect(output.passed == false)
    #expect(output.failureLines == ["streaming FAIL"])
    #expect(try CTestProgramOutput(parsing: "nothing\n").passed == nil)
  }

  @Test func missingOrShortValuesAreErrors() throws {
    let output = try CTestProgramOutput(parsing: "values 0 0 1 2\n")
    #expect(throws: CTestProgramOutput.ParseError.self) { try output.outputs(ofCase: 0, shapes: [[3]]) }
    #expect(throws: CTestProgramOutput.ParseError.self) { try output.outputs(ofCase: 0, shapes: [[2], [1]]) }
    #expect(throws: CTestProgramOutput.ParseError.self) { try output.outputs(ofCase: 1, shapes: [[2]]) }
    #expect(throws: CTestProgramOutput.ParseError.self) { try CTestProgramOutput(parsing: "values 0 0 1 x\n") }
  }
}
