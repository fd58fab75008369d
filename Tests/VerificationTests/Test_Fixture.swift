import FixtureFormat
import Foundation
import Testing

@testable import Verification

@Suite struct FixtureTests {
  static let url = URL(fileURLWithPath: "/tmp/test.fixture.json")

  static func json(
    _ tensors: String = #"{"name": "x", "dtype": "float32", "shape": [2, 3], "data": [1, 2, 3, 4, 5, 6.5]}"#
  ) -> Data {
    Data(
      """
      {"format": "lstmc-fixture-1", "model": "m.h5", "producer": {"framework": "tf-keras", "version": "2.21.0"},
       "tolerance": {"abs": 1e-6, "rel": 0.001}, "inputs": [\(tensors)], "outputs": [\(tensors)]}
      """.utf8)
  }

  @Test func readsTheSpecifiedFields() throws {
    let fixture = try Fixture(data: Self.json(), url: Self.url)
    #expect(fixture.producer == FixtureProducer(framework: "tf-keras", version: "2.21.0"))
    #expect(fixture.tolerance == Tolerance(abs: 1e-6, rel: 0.001))
    #expect(fixture.inputs[0].shape == [2, 3])
    #expect(fixture.inputs[0].values == [1, 2, 3, 4, 5, 6.5])
    #expect(fixture.modelURL?.path == "/tmp/m.h5")
  }

  @Test(arguments: [
    (#"{"name": "x", "dtype": "float32", "shape": [2, 3], "data": [1, 2, 3]}"#, "needs 6 values, data has 3"),
    (#"{"name": "x", "dtype": "bfloat16", "shape": [1], "data": [1]}"#, "dtype bfloat16 is not supported"),
    (#"{"name": "x", "dtype": "float32", "shape": [1], "data": ["NaN"]}"#, "not a finite number"),
    (#"{"name": "x", "dtype": "float32", "shape": [1], "data": [true]}"#, "not a finite number"),
    (#"{"name": "x", "dtype": "int32", "shape": [1], "data": [1.5]}"#, "is not an integer"),
    (#"{"name": "x", "dtype": "float32", "shape": [-1], "data": []}"#, "non-negative integers"),
  ])
  func malformedTensorsAreRejected(tensor: String, message: String) {
    #expect {
      try Fixture(data: Self.json(tensor), url: Self.url)
    } throws: { error in
      "\(error)".contains(message)
    }
  }

  @Test func foreignDocumentsAreRejected() {
    #expect(throws: FixtureError.invalidFormat("the file is not a JSON object")) {
      try Fixture(data: Data("[1, 2]".utf8), url: Self.url)
    }
    #expect(throws: FixtureError.invalidFormat("format is \"onnx\", expected \"lstmc-fixture-1\"")) {
      try Fixture(data: Data(#"{"format": "onnx"}"#.utf8), url: Self.url)
    }
    #expect(throws: FixtureError.self) {
      try Fixture(contentsOf: URL(fileURLWithPath: "/nonexistent/f.json"))
    }
  }

  @Test func toleranceIsAbsolutePlusRelative() {
    let tolerance = Tolerance(abs: 1e-5, rel: 1e-3)
    #expect(tolerance.accepts(1.00099, expected: 1.0))
    #expect(!tolerance.accepts(1.0012, expected: 1.0))
    #expect(tolerance.accepts(0.000009, expected: 0))
    #expect(!tolerance.accepts(0.00002, expected: 0))
  }

  @Test func comparisonFindsTheWorstElement() {
    let comparison = OutputComparison(
      name: "y", shape: [2, 3], actual: [1, 2, 3, 4, 5.5, 6], expected: [1, 2, 3, 4, 5, 6.0001],
      tolerance: .default)
    #expect(!comparison.passed)
    #expect(comparison.failures == 1)
    #expect(comparison.worstIndex == [1, 1])
    #expect(abs(comparison.maxAbsError - 0.5) < 1e-12)
    #expect(abs(comparison.maxRelError - 0.1) < 1e-12)
    let close = OutputComparison(
      name: "y", shape: [3], actual: [1, 0, -2], expected: [1.000001, 0, -2], tolerance: .default)
    #expect(close.passed && close.failures == 0)
  }
}
