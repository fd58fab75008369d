import CanonicalModel

/// A fixture matched against a model: the input tensors to feed, in the
/// model's input order, and the expected outputs, in the model's output order.
///
/// Matching follows `lstmc-fixture-1`: by name when every fixture name is a
/// model name, otherwise by position. Fixtures are in the model file's own
/// layout (``CanonicalModel/ModelInput/fileAxes``, e.g. ONNX's time-first `X`);
/// ``inputs`` are converted to the canonical layout, ``expected`` stay in the file's. Counts, ranks, fixed dimensions and
/// element types must agree; a disagreement is a ``FixtureError/mismatch(_:)``.
public struct FixtureBinding: Sendable {
  /// Model inputs, canonical (batch first).
  public var inputs: [Tensor]
  /// Expected outputs in the file's layout, paired with the model output index they check.
  public var expected: [FixtureTensor]

  /// Matches `fixture` against `model`.
  public init(fixture: Fixture, model: Model) throws {
    let outputShapes: [[Int?]]
    do {
      outputShapes = try model.outputShapes()
    } catch {
      throw FixtureError.mismatch("the model is invalid: \(error)")
    }
    let tensors = try Self.inputs(of: fixture, model: model)
    let batch = tensors.first?.shape.first
    let outputs = try Self.match(fixture.outputs, to: model.outputs.map(\.name), what: "output")
    for ((tensor, shape), output) in zip(zip(outputs, outputShapes), model.outputs) {
      guard !tensor.elementType.isInteger else {
        throw FixtureError.mismatch(
          "output '\(tensor.name)' is \(tensor.elementType.rawValue); lstmc outputs are float32")
      }
      var resolved = shape
      if !resolved.isEmpty, resolved[0] == nil { resolved[0] = batch }
      resolved = FileLayout.fileShape(resolved, axes: output.fileAxes)
      try Self.check(tensor, against: resolved, model: "model output '\(output.name)'")
    }
    self.inputs = tensors
    self.expected = outputs
  }

  /// The fixture's inputs as model input tensors, in the model's input order
  /// (outputs are not looked at: this is what `lstmc run` needs).
  public static func inputs(of fixture: Fixture, model: Model) throws -> [Tensor] {
    let inputs = try match(
      fixture.inputs, to: model.inputs.map(\.name), what: "input")
    var tensors: [Tensor] = []
    var batch: Int?
    for (tensor, spec) in zip(inputs, model.inputs) {
      try check(tensor, against: spec.fileShape, model: "model input '\(spec.name)'")
      switch spec.elementType {
      case .float32:
        guard !tensor.elementType.isInteger else {
          throw FixtureError.mismatch(
            "input '\(tensor.name)' is \(tensor.elementType.rawValue), model input '\(spec.name)' takes float32")
        }
      case .int32:
        guard tensor.elementType.isInteger else {
          throw FixtureError.mismatch(
            "input '\(tensor.name)' is \(tensor.elementType.rawValue), model input '\(spec.name)' takes int32 indices")
        }
        // int64 indices (ONNX exports of nn.Embedding) are accepted when they fit lstmc's int32 indices.
        if tensor.elementType == .int64,
          let bad = tensor.values.first(where: { $0 < -2_147_483_648 || $0 > 2_147_483_647 })
        {
          throw FixtureError.mismatch(
            "input '\(tensor.name)' holds int64 index \(Self.integerText(bad)), outside the int32 range of "
              + "model input '\(spec.name)'")
        }
        if let bad = tensor.values.first(where: { Swift.abs($0) > 16_777_216 }) {
          throw FixtureError.mismatch("input '\(tensor.name)' holds index \(bad), beyond the ±2^24 lstmc accepts")
        }
      }
      let fileTensor = Tensor(shape: tensor.shape, data: tensor.values.map { Float($0) })
      guard let canonical = FileLayout.toCanonical(fileTensor, axes: spec.fileAxes, canonicalRank: spec.shape.count)
      else {
        throw FixtureError.mismatch(
          "'\(tensor.name)' has shape \(tensor.shape), which does not fit model input '\(spec.name)'")
      }
      if let batch, batch != canonical.shape.first {
        throw FixtureError.mismatch("inputs disagree on the batch size (\(batch) and \(canonical.shape.first ?? 0))")
      }
      batch = canonical.shape.first
      tensors.append(canonical)
    }
    return tensors
  }

  /// ``expected`` as canonical tensors (batch first, as generated code computes them per sample),
  /// in the model's output order.
  public func canonicalExpected(for model: Model) throws -> [Tensor] {
    try Self.canonicalExpected(
      expected.map { Tensor(shape: $0.shape, data: $0.values.map { Float($0) }) }, model: model)
  }

  /// Expected outputs in the model file's layout (``CanonicalModel/ModelOutput/fileAxes``) as the
  /// canonical tensors generated code computes per sample, batch first.
  public static func canonicalExpected(_ expected: [Tensor], model: Model) throws -> [Tensor] {
    let ranks = ((try? model.outputShapes()) ?? []).map(\.count)
    return try zip(zip(expected, model.outputs), ranks).map { pair, rank in
      let (tensor, output) = pair
      guard let canonical = FileLayout.toCanonical(tensor, axes: output.fileAxes, canonicalRank: rank) else {
        throw FixtureError.mismatch("expected output '\(output.name)' has shape \(tensor.shape), which does not fit")
      }
      return canonical
    }
  }

  /// An integer fixture value as written (within Int64), else as a double.
  private static func integerText(_ value: Double) -> String {
    Swift.abs(value) < 9.2e18 ? String(Int64(value)) : "\(value)"
  }

  private static func match(_ tensors: [FixtureTensor], to names: [String], what: String) throws -> [FixtureTensor] {
    guard tensors.count == names.count else {
      throw FixtureError.mismatch(
        "the fixture has \(tensors.count) \(what)s, the model has \(names.count) (\(names.joined(separator: ", ")))")
    }
    let fixtureNames = tensors.map(\.name)
    guard Set(fixtureNames).count == fixtureNames.count, Set(fixtureNames).isSubset(of: names) else {
      return tensors
    }
    return names.map { name in tensors.first { $0.name == name }! }
  }

  private static func check(_ tensor: FixtureTensor, against shape: [Int?], model: String) throws {
    let modelShape =
      "["
      + shape.enumerated().map { $0.element.map(String.init) ?? ($0.offset == 0 ? "batch" : "?") }
      .joined(separator: ", ") + "]"
    let fits =
      tensor.shape.count == shape.count
      && zip(tensor.shape, shape).allSatisfy { actual, wanted in wanted.map { $0 == actual } ?? (actual > 0) }
    guard fits else {
      throw FixtureError.mismatch("'\(tensor.name)' has shape \(tensor.shape), \(model) has shape \(modelShape)")
    }
  }
}
