import ArgumentParser

/// `--bind NAME=FILE`, shared by every command that imports a model.
struct BindOptions: ParsableArguments {
  @Option(
    name: .customLong("bind"),
    help: ArgumentHelp(
      "Freeze the ONNX graph input NAME to the value in FILE: a serialized TensorProto .pb, a NumPy .npy, or a "
        + "fixture (lstmc-fixture-1 JSON or test_data_set_N folder) holding an input NAME. May be given more "
        + "than once. Weights (W, R, B, P, a Gemm/MatMul weight, an Embedding table) given as graph inputs "
        + "import only when bound; a bound initial state becomes a constant.",
      valueName: "NAME=FILE"))
  var bindings: [BindOption] = []

  func validate() throws {
    var seen = Set<String>()
    for binding in bindings where !seen.insert(binding.name).inserted {
      throw ValidationError("--bind gives '\(binding.name)' more than once.")
    }
  }
}
