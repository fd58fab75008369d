import CanonicalModel

/// Reads and shape-checks the weights of one layer part, with messages naming
/// the layer and the weight.
struct KerasWeightReader {
  let layer: KerasLayerConfig
  let className: String
  let part: KerasWeightPart
  let group: KerasWeightGroup

  /// A weight's shape and row-major values.
  struct Weight {
    var shape: [Int]
    var data: [Float]
  }

  /// A 2-D weight `[rows, columns]`; `rows == nil` accepts any positive row count.
  func read(_ role: String, rows: Int?, columns: Int, rowsName: String = "") throws -> Weight {
    let expected = "[\(rows.map(String.init) ?? rowsName), \(columns)]"
    return try read(role, expected: expected) { shape in
      shape.count == 2 && shape[0] > 0 && (rows == nil || shape[0] == rows) && shape[1] == columns
    }
  }

  /// A 1-D weight `[length]`.
  func read(_ role: String, length: Int) throws -> Weight {
    try read(role, expected: "[\(length)]") { $0 == [length] }
  }

  private func read(_ role: String, expected: String, fits: ([Int]) -> Bool) throws -> Weight {
    let name = part.messagePrefix + role
    guard let dataset = group.weights[role] else {
      throw KerasImportError.missingWeight(
        layer: layer.name, className: className, weight: name,
        reason: group.problem ?? "not found under '\(group.location)'")
    }
    guard fits(dataset.shape) else {
      throw KerasImportError.weightShapeMismatch(
        layer: layer.name, className: className, weight: name, shape: dataset.shape, expected: expected)
    }
    let data: [Float]
    do {
      data = try dataset.readFloats()
    } catch let error as HDF5Error {
      throw KerasImportError.unreadableWeight(
        layer: layer.name, className: className, weight: name, reason: error.description)
    }
    guard data.count == dataset.elementCount else {
      throw KerasImportError.unreadableWeight(
        layer: layer.name, className: className, weight: name, reason: "read \(data.count) values")
    }
    return Weight(shape: dataset.shape, data: data)
  }
}
