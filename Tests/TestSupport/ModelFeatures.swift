import CanonicalModel
import Foundation

/// What a model asks of a code generator, as a set of strings, for choosing a covering subset of
/// fixtures where running every fixture on a slow target (qemu, Embedded Swift) would cost more
/// than it can find: each layer as the canonical architecture describes it (names, origins and
/// weights left out), each pair of consecutive layers, each model input and each output (with its
/// file layout).
public enum ModelFeatures {
  /// The features of `model`.
  public static func of(_ model: Model) throws -> Set<String> {
    let data = try ModelArchive.encode(model)
    let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as? [String: Any]
    let metadata = header?["__metadata__"] as? [String: String]
    let architecture = try JSONSerialization.jsonObject(with: Data((metadata?["architecture"] ?? "{}").utf8))
    func strip(_ value: Any) -> Any {
      if let object = value as? [String: Any] {
        return object.filter { $0.key != "name" && $0.key != "origin" }.mapValues(strip)
      }
      if let array = value as? [Any] { return array.map(strip) }
      return value
    }
    func text(_ value: Any) throws -> String {
      String(decoding: try JSONSerialization.data(withJSONObject: strip(value), options: [.sortedKeys]), as: UTF8.self)
    }
    let document = architecture as? [String: Any] ?? [:]
    let layers = try (document["layers"] as? [Any] ?? []).map(text)
    var result = Set(layers.map { "layer \($0)" })
    for (a, b) in zip(layers, layers.dropFirst()) { result.insert("pair \(a) \(b)") }
    for input in document["inputs"] as? [Any] ?? [] { result.insert("input \(try text(input))") }
    for output in document["outputs"] as? [Any] ?? [] { result.insert("output \(try text(output))") }
    return result
  }

  /// A covering subset of `items`: greedily, the item that adds the most features not yet covered,
  /// until every feature of every item is in some chosen item; in the order of `items`.
  public static func cover<Item>(_ items: [(item: Item, features: Set<String>)]) -> [Item] {
    var remaining = Array(items.enumerated())
    var covered = Set<String>()
    var chosen: [Int] = []
    while let best = remaining.max(by: {
      $0.element.features.subtracting(covered).count < $1.element.features.subtracting(covered).count
    }), !best.element.features.subtracting(covered).isEmpty {
      chosen.append(best.offset)
      covered.formUnion(best.element.features)
      remaining.removeAll { $0.offset == best.offset }
    }
    return chosen.sorted().map { items[$0].item }
  }
}
