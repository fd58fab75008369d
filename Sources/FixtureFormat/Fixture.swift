import CanonicalModel
import Foundation

/// A fixture in the `lstmc-fixture-1` format: inputs, and the outputs the
/// original framework computed for them.
public struct Fixture: Equatable, Sendable {
  /// Where the fixture was read from.
  public var url: URL
  /// The model file the fixture was made for, relative to the fixture.
  public var model: String?
  /// What produced the expected outputs.
  public var producer: FixtureProducer
  /// The fixture's own tolerance, if it states one.
  public var tolerance: Tolerance?
  /// The inputs, in order.
  public var inputs: [FixtureTensor]
  /// The expected outputs, in order.
  public var outputs: [FixtureTensor]

  /// The format identifier.
  public static let formatIdentifier = "lstmc-fixture-1"

  /// Creates a fixture in memory.
  public init(
    url: URL, model: String? = nil, producer: FixtureProducer, tolerance: Tolerance? = nil,
    inputs: [FixtureTensor], outputs: [FixtureTensor]
  ) {
    self.url = url
    self.model = model
    self.producer = producer
    self.tolerance = tolerance
    self.inputs = inputs
    self.outputs = outputs
  }

  /// The model file named by the fixture, resolved against the fixture's folder.
  public var modelURL: URL? {
    model.map { URL(fileURLWithPath: $0, relativeTo: url.deletingLastPathComponent()).standardizedFileURL }
  }

  /// Reads and checks a fixture file, or an ONNX `test_data_set_N/` folder (``init(testDataSet:)``).
  public init(contentsOf url: URL) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      try self.init(testDataSet: url)
      return
    }
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw FixtureError.unreadable(
        FileManager.default.fileExists(atPath: url.path) ? "the file cannot be read" : "no such file")
    }
    try self.init(data: data, url: url)
  }

  /// Parses a fixture from JSON bytes.
  public init(data: Data, url: URL) throws {
    guard let object = try? JSONSerialization.jsonObject(with: data), let root = object as? [String: Any] else {
      throw FixtureError.invalidFormat("the file is not a JSON object")
    }
    guard let format = root["format"] as? String else { throw FixtureError.invalidFormat("no \"format\" key") }
    guard format == Self.formatIdentifier else {
      throw FixtureError.invalidFormat("format is \"\(format)\", expected \"\(Self.formatIdentifier)\"")
    }
    guard let producer = root["producer"] as? [String: Any], let framework = producer["framework"] as? String,
      let version = producer["version"] as? String
    else { throw FixtureError.invalidFormat("\"producer\" needs \"framework\" and \"version\" strings") }
    var tolerance: Tolerance?
    if let raw = root["tolerance"] {
      guard let dictionary = raw as? [String: Any], let abs = Self.number(dictionary["abs"]),
        let rel = Self.number(dictionary["rel"]), abs >= 0, rel >= 0
      else { throw FixtureError.invalidFormat("\"tolerance\" needs non-negative numbers \"abs\" and \"rel\"") }
      tolerance = Tolerance(abs: abs, rel: rel)
    }
    if let model = root["model"], !(model is String) {
      throw FixtureError.invalidFormat("\"model\" must be a string")
    }
    self.init(
      url: url, model: root["model"] as? String,
      producer: FixtureProducer(framework: framework, version: version, script: producer["script"] as? String),
      tolerance: tolerance, inputs: try Self.tensors(root["inputs"], key: "inputs"),
      outputs: try Self.tensors(root["outputs"], key: "outputs"))
  }

  private static func tensors(_ raw: Any?, key: String) throws -> [FixtureTensor] {
    guard let list = raw as? [Any] else { throw FixtureError.invalidFormat("\"\(key)\" must be a list of tensors") }
    guard !list.isEmpty else { throw FixtureError.invalidFormat("\"\(key)\" is empty") }
    return try list.enumerated().map { index, raw in
      guard let entry = raw as? [String: Any] else {
        throw FixtureError.invalidFormat("\(key)[\(index)] is not an object")
      }
      guard let name = entry["name"] as? String else {
        throw FixtureError.invalidFormat("\(key)[\(index)] has no name")
      }
      guard let rawDtype = entry["dtype"] else { throw FixtureError.invalidTensor(name: name, reason: "no dtype") }
      guard let dtypeName = rawDtype as? String else {
        throw FixtureError.invalidTensor(
          name: name,
          reason: "dtype is \(JSONTypeName.of(rawDtype)); it must be a string, one of "
            + FixtureElementType.allCases.map(\.rawValue).joined(separator: ", "))
      }
      guard let dtype = FixtureElementType(rawValue: dtypeName) else {
        throw FixtureError.invalidTensor(
          name: name,
          reason: "dtype \(dtypeName) is not supported; supported: "
            + FixtureElementType.allCases.map(\.rawValue).joined(separator: ", "))
      }
      guard let rawShape = entry["shape"] as? [Any] else {
        throw FixtureError.invalidTensor(name: name, reason: "no shape")
      }
      let shape = rawShape.compactMap { value -> Int? in
        guard let number = value as? NSNumber, let double = Self.number(number), double >= 0,
          double == double.rounded(), double < 1e9
        else { return nil }
        return Int(double)
      }
      guard shape.count == rawShape.count else {
        throw FixtureError.invalidTensor(name: name, reason: "shape must be a list of non-negative integers")
      }
      guard let rawData = entry["data"] as? [Any] else {
        throw FixtureError.invalidTensor(name: name, reason: "no data")
      }
      var values = [Double]()
      values.reserveCapacity(rawData.count)
      for (position, value) in rawData.enumerated() {
        guard let number = Self.number(value), number.isFinite else {
          throw FixtureError.invalidTensor(name: name, reason: "data[\(position)] is not a finite number")
        }
        if dtype.isInteger && number != number.rounded() {
          throw FixtureError.invalidTensor(name: name, reason: "data[\(position)] = \(number) is not an integer")
        }
        values.append(number)
      }
      let expected = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
      guard values.count == expected else {
        throw FixtureError.invalidTensor(
          name: name, reason: "shape \(shape) needs \(expected) values, data has \(values.count)")
      }
      return FixtureTensor(name: name, elementType: dtype, shape: shape, values: values)
    }
  }

  private static func number(_ value: Any?) -> Double? {
    guard let number = value as? NSNumber else { return nil }
    // JSONSerialization gives booleans as NSNumber too; refuse them.
    if type(of: number) == type(of: NSNumber(value: true)) { return nil }
    return number.doubleValue
  }
}
