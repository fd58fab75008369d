/// Where one axis of a model input or output *as the source file lays it out*
/// comes from in the canonical (batch-first) tensor.
///
/// A list of these, one per file axis, is a ``FileLayout``. `nil` layouts mean
/// the file's tensor is the canonical one. A canonical axis may be split in
/// two: ``outer(axis:count:)`` and ``inner(axis:count:)`` view canonical axis
/// `axis` of extent `n` as `[count, n / count]` (ONNX's `[directions, hidden]`
/// inside lstmc's concatenated `2 * hidden` features).
public enum AxisSource: Equatable, Hashable, Sendable {
  /// Canonical axis `k`, whole.
  case canonical(Int)
  /// An inserted axis of extent 1.
  case unit
  /// The outer part (extent `count`) of canonical axis `axis`.
  case outer(axis: Int, count: Int)
  /// The inner part (extent `n / count`) of canonical axis `axis`.
  case inner(axis: Int, count: Int)
}

extension AxisSource: Codable {
  private enum CodingKeys: String, CodingKey { case canonical, unit, outer, inner, count }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if let axis = try container.decodeIfPresent(Int.self, forKey: .canonical) {
      self = .canonical(axis)
    } else if let axis = try container.decodeIfPresent(Int.self, forKey: .outer) {
      self = .outer(axis: axis, count: try container.decode(Int.self, forKey: .count))
    } else if let axis = try container.decodeIfPresent(Int.self, forKey: .inner) {
      self = .inner(axis: axis, count: try container.decode(Int.self, forKey: .count))
    } else if try container.decodeIfPresent(Bool.self, forKey: .unit) == true {
      self = .unit
    } else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "an axis source needs canonical, outer, inner or unit"))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .canonical(let axis): try container.encode(axis, forKey: .canonical)
    case .unit: try container.encode(true, forKey: .unit)
    case .outer(let axis, let count):
      try container.encode(axis, forKey: .outer)
      try container.encode(count, forKey: .count)
    case .inner(let axis, let count):
      try container.encode(axis, forKey: .inner)
      try container.encode(count, forKey: .count)
    }
  }
}

/// Conversions between a canonical tensor and the source file's layout of it.
public enum FileLayout {
  /// Checks that `axes` is a valid layout of a canonical tensor of rank `rank`:
  /// every canonical axis used exactly once (a split axis by one outer and one inner part of one count).
  public static func validate(_ axes: [AxisSource], canonicalRank rank: Int) -> String? {
    var whole = Set<Int>()
    var outer: [Int: Int] = [:]
    var inner: [Int: Int] = [:]
    for axis in axes {
      switch axis {
      case .unit: continue
      case .canonical(let k):
        guard (0..<rank).contains(k), whole.insert(k).inserted else {
          return "canonical axis \(k) is used twice or missing"
        }
      case .outer(let k, let count):
        guard (0..<rank).contains(k), count > 0, outer[k] == nil else { return "outer part of axis \(k) is invalid" }
        outer[k] = count
      case .inner(let k, let count):
        guard (0..<rank).contains(k), count > 0, inner[k] == nil else { return "inner part of axis \(k) is invalid" }
        inner[k] = count
      }
    }
    guard outer == inner, whole.isDisjoint(with: outer.keys), whole.count + outer.count == rank else {
      return "the layout does not use every canonical axis exactly once"
    }
    return nil
  }

  /// The file shape of a canonical shape (`nil` dimensions stay `nil`).
  public static func fileShape(_ canonical: [Int?], axes: [AxisSource]?) -> [Int?] {
    guard let axes else { return canonical }
    return axes.map { axis in
      switch axis {
      case .unit: return 1
      case .canonical(let k): return canonical[k]
      case .outer(_, let count): return count
      case .inner(let k, let count): return canonical[k].map { $0 / count }
      }
    }
  }

  /// Per file axis, its extent and its stride in the canonical tensor.
  private static func extentsAndStrides(canonical shape: [Int], axes: [AxisSource]) -> [(extent: Int, stride: Int)] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for k in shape.indices.reversed() {
      strides[k] = running
      running *= shape[k]
    }
    return axes.map { axis in
      switch axis {
      case .unit: return (1, 0)
      case .canonical(let k): return (shape[k], strides[k])
      case .outer(let k, let count): return (count, strides[k] * (shape[k] / count))
      case .inner(let k, let count): return (shape[k] / count, strides[k])
      }
    }
  }

  /// For each element of the file tensor in row-major order, its index in the canonical tensor.
  private static func gatherIndices(canonical shape: [Int], axes: [AxisSource]) -> [Int] {
    let plan = extentsAndStrides(canonical: shape, axes: axes)
    var indices: [Int] = [0]
    for (extent, stride) in plan {
      var next: [Int] = []
      next.reserveCapacity(indices.count * extent)
      for base in indices {
        for step in 0..<extent { next.append(base + step * stride) }
      }
      indices = next
    }
    return indices
  }

  /// The canonical shape of a file shape, or `nil` when the file shape cannot be one.
  public static func canonicalShape(ofFile file: [Int], axes: [AxisSource]?, canonicalRank rank: Int) -> [Int]? {
    guard let axes else { return file }
    guard file.count == axes.count else { return nil }
    var shape = [Int?](repeating: nil, count: rank)
    for (extent, axis) in zip(file, axes) {
      switch axis {
      case .unit: if extent != 1 { return nil }
      case .canonical(let k): shape[k] = extent
      case .outer(let k, let count):
        if extent != count { return nil }
        if shape[k] == nil { shape[k] = 0 }
      case .inner(let k, let count): shape[k] = extent * count
      }
    }
    guard shape.allSatisfy({ $0 != nil }) else { return nil }
    return shape.map { $0! }
  }

  /// Lays a canonical tensor out as the file does.
  public static func toFile(_ tensor: Tensor, axes: [AxisSource]?) -> Tensor {
    guard let axes else { return tensor }
    let indices = gatherIndices(canonical: tensor.shape, axes: axes)
    let shape = fileShape(tensor.shape.map { $0 }, axes: axes).map { $0! }
    return Tensor(shape: shape, data: indices.map { tensor.data[$0] })
  }

  /// Turns a tensor in the file's layout into the canonical tensor, or `nil` when its shape does not fit.
  public static func toCanonical(_ tensor: Tensor, axes: [AxisSource]?, canonicalRank rank: Int) -> Tensor? {
    guard let axes else { return tensor }
    guard let shape = canonicalShape(ofFile: tensor.shape, axes: axes, canonicalRank: rank) else { return nil }
    let indices = gatherIndices(canonical: shape, axes: axes)
    var data = [Float](repeating: 0, count: tensor.data.count)
    for (position, index) in indices.enumerated() { data[index] = tensor.data[position] }
    return Tensor(shape: shape, data: data)
  }
}
