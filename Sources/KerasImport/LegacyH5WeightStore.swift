/// Weights in a legacy HDF5 model file (Keras 2 / tf-keras, and Keras 3's `.h5`).
///
/// Each layer has a group `model_weights/<layer name>` whose `weight_names`
/// attribute lists dataset paths relative to it: `lstm/lstm_cell/kernel:0`
/// (Keras 2) or `lstm/lstm_cell/kernel` (Keras 3). A Bidirectional layer lists
/// its forward weights, then its backward ones, under generated names
/// (`bi/forward_lstm/...`, `bi/backward_gru/...`). The paths are followed as
/// written, never guessed.
struct LegacyH5WeightStore: KerasWeightStore {
  /// The `model_weights` group.
  let group: HDF5Group

  func weights(of layer: KerasLayerConfig, part: KerasWeightPart, roles: [String]) throws -> KerasWeightGroup {
    let location = group.childPath(layer.name)
    guard group.kind(of: layer.name) == .group else {
      return KerasWeightGroup(location: location, weights: [:], problem: "the file has no group '\(location)'")
    }
    let layerGroup = try group.group(layer.name)
    let names = try Self.weightNames(of: layerGroup)
    guard !names.isEmpty else {
      return KerasWeightGroup(location: location, weights: [:], problem: "'\(location)' lists no weight_names")
    }
    var found: [String: HDF5Dataset] = [:]
    for name in try Self.select(names, part: part) {
      let role = Self.role(of: name)
      guard found[role] == nil else {
        throw KerasImportError.invalidConfig(
          "layer '\(layer.name)' (\(layer.className)) lists two \(part.messagePrefix)weights named '\(role)'")
      }
      guard layerGroup.kind(of: name) == .dataset else {
        return KerasWeightGroup(
          location: location, weights: found,
          problem: "weight_names lists '\(name)', but '\(layerGroup.childPath(name))' is not a dataset in the file")
      }
      found[role] = try layerGroup.dataset(name)
    }
    return KerasWeightGroup(location: location, weights: found, problem: nil)
  }

  /// `weight_names`, or Keras's chunked form `weight_names0`, `weight_names1`, ...
  static func weightNames(of group: HDF5Group) throws -> [String] {
    if group.hasAttribute("weight_names") { return try group.stringArrayAttribute("weight_names") }
    var names: [String] = []
    var chunk = 0
    while group.hasAttribute("weight_names\(chunk)") {
      names += try group.stringArrayAttribute("weight_names\(chunk)")
      chunk += 1
    }
    return names
  }

  /// The Keras weight name of a path: its last component without a `:0` suffix.
  static func role(of name: String) -> String {
    var last = name.split(separator: "/").last.map(String.init) ?? name
    if let colon = last.lastIndex(of: ":"), last[last.index(after: colon)...].allSatisfy(\.isNumber) {
      last = String(last[..<colon])
    }
    return last
  }

  /// The names belonging to `part`: for Bidirectional, by the generated
  /// `forward_` / `backward_` sublayer names, or else by position (forward first).
  static func select(_ names: [String], part: KerasWeightPart) throws -> [String] {
    guard part == .forward || part == .backward else { return names }
    // The innermost `forward_*` / `backward_*` component decides: paths may start
    // with the model's or the wrapper's own name, which could carry either prefix.
    func side(_ name: String) -> KerasWeightPart? {
      for component in name.split(separator: "/").dropLast().reversed() {
        if component.hasPrefix("forward_") { return .forward }
        if component.hasPrefix("backward_") { return .backward }
      }
      return nil
    }
    let sides = names.map(side)
    let forward = names.indices.filter { sides[$0] == .forward }.map { names[$0] }
    let backward = names.indices.filter { sides[$0] == .backward }.map { names[$0] }
    if !forward.isEmpty, !backward.isEmpty, forward.count + backward.count == names.count {
      return part == .forward ? forward : backward
    }
    let half = names.count / 2
    return part == .forward ? Array(names[..<half]) : Array(names[half...])
  }
}
