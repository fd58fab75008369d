import Foundation

/// Weights in a Keras 3 `.keras` archive's `model.weights.h5`.
///
/// Keras's `saving_lib` walks `model.layers` in order and names each layer's
/// group after its class in snake case plus a per-class counter
/// (`layers/lstm`, `layers/lstm_1`, `layers/gru`, `layers/dense`, ...), never after the
/// user's layer name. Variables are numbered datasets in a `vars` group, in
/// creation order; sublayers sit under their attribute names (`cell`,
/// `forward_layer`, `backward_layer`, `layer`).
struct NativeKerasWeightStore: KerasWeightStore {
  /// The root group of `model.weights.h5`.
  let root: HDF5Group
  /// The group of each layer, by layer name.
  let paths: [String: String]

  /// Names the groups of `savedLayers` (in `model.layers` order) as Keras does.
  init(root: HDF5Group, savedLayers: [KerasLayerConfig]) {
    self.root = root
    // tf-keras 2.13+ archives use `_layer_checkpoint_dependencies` where Keras 3 uses `layers`.
    let top =
      !root.contains("layers") && root.contains("_layer_checkpoint_dependencies")
      ? "_layer_checkpoint_dependencies" : "layers"
    var used: [String: Int] = [:]
    var paths: [String: String] = [:]
    for layer in savedLayers {
      let base = Self.snakeCase(layer.className)
      let name: String
      if let count = used[base] {
        used[base] = count + 1
        name = "\(base)_\(count + 1)"
      } else {
        used[base] = 0
        name = base
      }
      paths[layer.name] = top + "/" + name
    }
    self.paths = paths
  }

  func weights(of layer: KerasLayerConfig, part: KerasWeightPart, roles: [String]) throws -> KerasWeightGroup {
    guard let base = paths[layer.name] else {
      return KerasWeightGroup(location: "?", weights: [:], problem: "layer not found among the model's layers")
    }
    let location = base + "/" + Self.subpath(className: layer.className, part: part)
    guard root.kind(of: location) == .group else {
      return KerasWeightGroup(location: location, weights: [:], problem: "the weights file has no group '\(location)'")
    }
    let vars = try root.group(location)
    var found: [String: HDF5Dataset] = [:]
    for (index, role) in roles.enumerated() where vars.kind(of: String(index)) == .dataset {
      found[role] = try vars.dataset(String(index))
    }
    return KerasWeightGroup(location: location, weights: found, problem: nil)
  }

  /// Where a part's variables sit below its layer's group.
  static func subpath(className: String, part: KerasWeightPart) -> String {
    if KerasRecurrentCell(className: className) != nil { return "cell/vars" }
    switch (className, part) {
    case ("Bidirectional", .backward): return "backward_layer/cell/vars"
    case ("Bidirectional", _): return "forward_layer/cell/vars"
    case ("TimeDistributed", _): return "layer/vars"
    default: return "vars"
    }
  }

  /// Keras's `naming.to_snake_case`: `LSTM` → `lstm`, `TimeDistributed` → `time_distributed`.
  static func snakeCase(_ name: String) -> String {
    var result = name.filter { $0.isLetter || $0.isNumber || $0 == "_" }
    result = replace(result, pattern: "(.)([A-Z][a-z]+)", with: "$1_$2")
    result = replace(result, pattern: "([a-z])([A-Z])", with: "$1_$2")
    return result.lowercased()
  }

  private static func replace(_ string: String, pattern: String, with template: String) -> String {
    guard let regex = try? NSRegularExpression(pattern: pattern) else { return string }
    let range = NSRange(string.startIndex..., in: string)
    return regex.stringByReplacingMatches(in: string, range: range, withTemplate: template)
  }
}
