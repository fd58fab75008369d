import CanonicalModel
import Foundation
import Testing

@testable import KerasImport

@Suite("Bad inputs give the right error")
struct Test_KerasBadFiles {
  private func importError(_ url: URL) -> KerasImportError? {
    do {
      _ = try KerasImporter.importModel(at: url)
      return nil
    } catch let error as KerasImportError {
      return error
    } catch {
      Issue.record("unexpected error type: \(error)")
      return nil
    }
  }

  /// Every message is one line and never contains the file's path.
  private func checkMessage(_ error: KerasImportError?, url: URL, mentions words: [String] = []) {
    guard let error else { return }
    let message = error.description
    #expect(!message.contains("\n"))
    #expect(!message.contains(url.path))
    #expect(!message.contains(url.lastPathComponent))
    for word in words { #expect(message.contains(word), "\(message)") }
  }

  @Test func emptyFile() {
    let url = FixtureFiles.bad("empty.h5")
    let error = importError(url)
    #expect(error == .emptyFile)
    checkMessage(error, url: url)
  }

  @Test func randomBytes() {
    let url = FixtureFiles.bad("random.bin")
    let error = importError(url)
    #expect(error == .unrecognizedFormat)
    checkMessage(error, url: url, mentions: ["HDF5", ".keras"])
  }

  @Test func truncatedHDF5() {
    let url = FixtureFiles.bad("truncated.h5")
    let error = importError(url)
    guard case .corruptHDF5? = error else {
      Issue.record("expected corruptHDF5, got \(String(describing: error))")
      return
    }
    checkMessage(error, url: url)
  }

  @Test func hdf5WithoutModelConfig() {
    let url = FixtureFiles.bad("not_keras.h5")
    let error = importError(url)
    guard case .notAKerasModel? = error else {
      Issue.record("expected notAKerasModel, got \(String(describing: error))")
      return
    }
    checkMessage(error, url: url, mentions: ["HDF5", "model_config"])
  }

  @Test func archiveWithoutWeights() {
    let url = FixtureFiles.bad("no_weights.keras")
    let error = importError(url)
    #expect(error == .missingArchiveMember("model.weights.h5"))
    checkMessage(error, url: url, mentions: ["model.weights.h5"])
  }

  @Test("Conv1D is an unsupported layer", arguments: ["k2_conv1d.h5", "k3_conv1d.keras"])
  func conv1D(name: String) {
    let url = FixtureFiles.bad(name)
    let error = importError(url)
    #expect(error == .unsupportedLayer(layer: "conv1d", className: "Conv1D"))
    checkMessage(error, url: url, mentions: ["'conv1d'", "Conv1D", "supported:", "Bidirectional(LSTM)"])
  }

  @Test func timeMajor() {
    let url = FixtureFiles.bad("k2_time_major.h5")
    let error = importError(url)
    guard case .unsupportedOption(let layer, "LSTM", "time_major", _)? = error else {
      Issue.record("expected unsupportedOption(time_major), got \(String(describing: error))")
      return
    }
    #expect(layer == "lstm")
    checkMessage(error, url: url, mentions: ["time_major"])
  }

  @Test func unsupportedActivation() {
    let url = FixtureFiles.bad("k3_unsupported_activation.keras")
    let error = importError(url)
    #expect(
      error == .unsupportedActivation(layer: "lstm", className: "LSTM", option: "activation", activation: "mish"))
    checkMessage(error, url: url, mentions: ["mish", "'lstm'", "supported:", "hard_sigmoid"])
  }

  @Test func branchingFunctionalModel() {
    let url = FixtureFiles.bad("k2_branches.h5")
    let error = importError(url)
    guard case .unsupportedTopology("branch_b", "LSTM", _)? = error else {
      Issue.record("expected unsupportedTopology naming branch_b, got \(String(describing: error))")
      return
    }
    checkMessage(error, url: url, mentions: ["branch_b", "chain"])
  }

  @Test func missingFile() {
    let url = FixtureFiles.bad("does-not-exist.h5")
    #expect(importError(url) == .unreadableFile(reason: "no such file"))
    #expect(importError(FixtureFiles.bad("")) == .unreadableFile(reason: "it is a directory"))
  }

  // MARK: Broken .keras archives built from a real one

  private func members(of name: String) throws -> [String: Data] {
    let archive = try KerasArchive(url: FixtureFiles.keras(name))
    var members: [String: Data] = [:]
    for member in ["config.json", "metadata.json", "model.weights.h5"] {
      members[member] = try archive.data(of: member)
    }
    return members
  }

  private func importBroken(_ members: [(String, Data)]) throws -> KerasImportError? {
    let directory = try TestZipWriter.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("broken.keras")
    try TestZipWriter.write(members, to: url)
    let error = importError(url)
    checkMessage(error, url: url)
    return error
  }

  @Test func archiveWithoutConfig() throws {
    let real = try members(of: "k3_basic.keras")
    let metadata = try #require(real["metadata.json"])
    let weights = try #require(real["model.weights.h5"])
    let error = try importBroken([("metadata.json", metadata), ("model.weights.h5", weights)])
    #expect(error == .missingArchiveMember("config.json"))
  }

  @Test func archiveWithCorruptWeights() throws {
    let real = try members(of: "k3_basic.keras")
    let config = try #require(real["config.json"])
    let weights = try #require(real["model.weights.h5"])
    let error = try importBroken([("config.json", config), ("model.weights.h5", weights.prefix(700))])
    guard case .corruptArchive? = error else {
      Issue.record("expected corruptArchive, got \(String(describing: error))")
      return
    }
  }

  @Test func archiveWithInvalidJSON() throws {
    let real = try members(of: "k3_basic.keras")
    let weights = try #require(real["model.weights.h5"])
    let error = try importBroken([("config.json", Data("{not json".utf8)), ("model.weights.h5", weights)])
    guard case .invalidConfig? = error else {
      Issue.record("expected invalidConfig, got \(String(describing: error))")
      return
    }
  }

  @Test("a config that is not UTF-8 is an invalid config, not a crash")
  func configNotUTF8() throws {
    let real = try members(of: "k3_basic.keras")
    var config = try #require(real["config.json"])
    let weights = try #require(real["model.weights.h5"])
    config[3] = 0xC3  // inside the first key: a lead byte without its continuation
    config[4] = 0x28
    let error = try importBroken([("config.json", config), ("model.weights.h5", weights)])
    guard case .invalidConfig? = error else {
      Issue.record("expected invalidConfig, got \(String(describing: error))")
      return
    }
  }

  @Test("a member whose bytes do not match its checksum is a damaged archive")
  func damagedMember() throws {
    let real = try members(of: "k3_basic.keras")
    let config = try #require(real["config.json"])
    let weights = try #require(real["model.weights.h5"])
    let directory = try TestZipWriter.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("damaged.keras")
    try TestZipWriter.write([("config.json", config), ("model.weights.h5", weights)], to: url)
    var bytes = try Data(contentsOf: url)
    bytes[30 + "config.json".utf8.count + 5] ^= 0x20  // a letter of the stored config flips case
    try bytes.write(to: url)
    let error = importError(url)
    #expect(error == .corruptArchive(reason: "'config.json' is damaged (its checksum does not match)"))
  }

  @Test("weights of the wrong shape name the layer and the weight")
  func wrongWeightShape() throws {
    let real = try members(of: "k3_functional_basic.keras")
    let configData = try #require(real["config.json"])
    let config = try #require(String(data: configData, encoding: .utf8))
    let weights = try #require(real["model.weights.h5"])
    #expect(config.contains("\"units\": 6"))
    let changed = config.replacingOccurrences(of: "\"units\": 6", with: "\"units\": 7")
    let error = try importBroken([("config.json", Data(changed.utf8)), ("model.weights.h5", weights)])
    #expect(
      error
        == .weightShapeMismatch(
          layer: "encoder", className: "LSTM", weight: "kernel", shape: [4, 24], expected: "[4, 28]"))
  }

  @Test("missing weights name the layer and the weight")
  func missingWeights() throws {
    let real = try members(of: "k3_basic.keras")
    let configData = try #require(real["config.json"])
    let weights = try #require(real["model.weights.h5"])
    let json = try JSONSerialization.jsonObject(with: configData) as? [String: Any]
    var top = try #require(json)
    var config = try #require(top["config"] as? [String: Any])
    var layers = try #require(config["layers"] as? [[String: Any]])
    var extra = try #require(layers.last)
    var extraConfig = try #require(extra["config"] as? [String: Any])
    extraConfig["name"] = "extra_head"
    extraConfig["units"] = 2
    extra["config"] = extraConfig
    layers.append(extra)
    config["layers"] = layers
    top["config"] = config
    let error = try importBroken([
      ("config.json", try JSONSerialization.data(withJSONObject: top)), ("model.weights.h5", weights),
    ])
    guard case .missingWeight("extra_head", "Dense", "kernel", let reason)? = error else {
      Issue.record("expected missingWeight for extra_head, got \(String(describing: error))")
      return
    }
    #expect(reason.contains("layers/dense_1"))
  }

  // MARK: GRU settings and weights that do not fit

  /// Imports a copy of a `.keras` fixture whose config entry for layer `name` (a top-level
  /// layer's `config`) was changed by `edit`.
  private func importEdited(_ file: String, layer name: String, _ edit: (inout [String: Any]) throws -> Void) throws
    -> KerasImportError?
  {
    let real = try members(of: file)
    let configData = try #require(real["config.json"])
    let weights = try #require(real["model.weights.h5"])
    var top = try #require(try JSONSerialization.jsonObject(with: configData) as? [String: Any])
    var config = try #require(top["config"] as? [String: Any])
    var layers = try #require(config["layers"] as? [[String: Any]])
    let index = try #require(layers.firstIndex { ($0["config"] as? [String: Any])?["name"] as? String == name })
    var layerConfig = try #require(layers[index]["config"] as? [String: Any])
    try edit(&layerConfig)
    layers[index]["config"] = layerConfig
    config["layers"] = layers
    top["config"] = config
    return try importBroken([
      ("config.json", try JSONSerialization.data(withJSONObject: top)), ("model.weights.h5", weights),
    ])
  }

  /// Edits the layer a Bidirectional wraps (its `layer` setting).
  private func editWrapped(_ config: inout [String: Any], _ edit: (inout [String: Any]) -> Void)
    throws
  {
    var wrapped = try #require(config["layer"] as? [String: Any])
    var inner = try #require(wrapped["config"] as? [String: Any])
    edit(&inner)
    wrapped["config"] = inner
    config["layer"] = wrapped
  }

  @Test("a GRU kernel of the wrong width names the GRU and its 3·units columns")
  func gruWrongUnits() throws {
    // k3_gru_stack: GRU(6) on 3 features, reset_after=True.
    let error = try importEdited("k3_gru_stack.keras", layer: "gru") { $0["units"] = 7 }
    #expect(
      error
        == .weightShapeMismatch(layer: "gru", className: "GRU", weight: "kernel", shape: [3, 18], expected: "[3, 21]"))
  }

  @Test("reset_after that does not fit the bias (two rows vs one) is a shape mismatch, not a guess")
  func gruResetAfterMismatch() throws {
    // The first GRU of k3_gru_stack resets after ([2, 18] bias), the second before ([12]).
    let after = try importEdited("k3_gru_stack.keras", layer: "gru") { $0["reset_after"] = false }
    #expect(
      after == .weightShapeMismatch(layer: "gru", className: "GRU", weight: "bias", shape: [2, 18], expected: "[18]"))
    let before = try importEdited("k3_gru_stack.keras", layer: "gru_1") { $0["reset_after"] = true }
    #expect(
      before == .weightShapeMismatch(layer: "gru_1", className: "GRU", weight: "bias", shape: [12], expected: "[2, 12]")
    )
  }

  @Test("a Bidirectional(GRU) half of the wrong size names the half")
  func bidirectionalGRUWrongUnits() throws {
    // k3_gru_bidi_a: bi_seq wraps GRU(5) on 3 features.
    let error = try importEdited("k3_gru_bidi_a.keras", layer: "bi_seq") { config in
      try editWrapped(&config) { $0["units"] = 4 }
    }
    #expect(
      error
        == .weightShapeMismatch(
          layer: "bi_seq", className: "Bidirectional(GRU)", weight: "forward kernel", shape: [3, 15],
          expected: "[3, 12]"))
  }

  @Test("GRU time_major and unknown activations are refused naming the GRU")
  func gruUnsupportedOptions() throws {
    let timeMajor = try importEdited("k3_gru_stack.keras", layer: "gru_1") { $0["time_major"] = true }
    guard case .unsupportedOption("gru_1", "GRU", "time_major", _)? = timeMajor else {
      Issue.record("expected unsupportedOption(time_major), got \(String(describing: timeMajor))")
      return
    }
    let mish = try importEdited("k3_gru_stack.keras", layer: "gru_1") { $0["recurrent_activation"] = "mish" }
    #expect(
      mish
        == .unsupportedActivation(layer: "gru_1", className: "GRU", option: "recurrent_activation", activation: "mish"))
  }

  @Test("Bidirectional over another recurrent class, or with a backward layer of another class, is refused")
  func bidirectionalOtherCells() throws {
    let simple = try importEdited("k3_gru_bidi_a.keras", layer: "bi_seq") { config in
      var wrapped = config["layer"] as? [String: Any] ?? [:]
      wrapped["class_name"] = "SimpleRNN"
      config["layer"] = wrapped
    }
    #expect(simple == .unsupportedLayer(layer: "bi_seq", className: "Bidirectional(SimpleRNN)"))
    #expect(simple?.description.contains("Bidirectional(GRU)") == true)
    let mixed = try importEdited("k3_gru_bidi_a.keras", layer: "bi_seq") { config in
      var backward = config["backward_layer"] as? [String: Any] ?? [:]
      backward["class_name"] = "LSTM"
      config["backward_layer"] = backward
    }
    #expect(mixed == .unsupportedLayer(layer: "bi_seq", className: "Bidirectional(GRU, backward_layer=LSTM)"))
  }
}
