import CanonicalModel
import Foundation

/// Imports Keras LSTM and GRU models into the canonical model.
///
/// Reads Keras 2 / tf-keras and Keras 3 legacy HDF5 files (`.h5`) and Keras 3
/// native archives (`.keras`), recognised by their first bytes, not their
/// extension. Sequential models and Functional models whose layers form one
/// chain are supported; see ``KerasImportError/supportedLayers``.
public enum KerasImporter {
  private static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
  private static let zipSignatures: [[UInt8]] = [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06]]

  /// Whether this process is inside a region of lstmc's HDF5 wrapper that calls libhdf5. Meant for a
  /// fatal-signal handler (it reads one word at a fixed address) that tells a crash in libhdf5 from
  /// one in lstmc's own code; see `lstmc _import`.
  public static var isInsideLibHDF5: Bool { HDF5Library.depth.pointee > 0 }

  /// The largest `config.json` / `model_config` lstmc parses (64 MiB).
  static let maximumConfigSize = 64 << 20

  /// Imports the model at `url` and validates it.
  ///
  /// The model's ``ModelSource/file`` is the path as given (`url.relativePath`).
  /// - Throws: ``KerasImportError``, whose description names the problem
  ///   (and the layer, where there is one) without the file's path.
  public static func importModel(at url: URL) throws -> Model {
    let head = try readHead(of: url)
    if head.isEmpty { throw KerasImportError.emptyFile }
    if head.starts(with: hdf5Signature) { return try importHDF5(at: url) }
    if zipSignatures.contains(where: { head.starts(with: $0) }) { return try importArchive(at: url) }
    throw KerasImportError.unrecognizedFormat
  }

  private static func readHead(of url: URL) throws -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw KerasImportError.unreadableFile(reason: "no such file")
    }
    guard !isDirectory.boolValue else { throw KerasImportError.unreadableFile(reason: "it is a directory") }
    do {
      let handle = try FileHandle(forReadingFrom: url)
      defer { try? handle.close() }
      return [UInt8](try handle.read(upToCount: 8) ?? Data())
    } catch {
      throw KerasImportError.unreadableFile(reason: "permission denied or I/O error")
    }
  }

  // MARK: HDF5

  private static func importHDF5(at url: URL) throws -> Model {
    let file: HDF5File
    do {
      file = try HDF5File(path: url.path)
    } catch let error as HDF5Error {
      throw KerasImportError.corruptHDF5(reason: error.description)
    }
    return try hdf5Errors {
      let root = try file.rootGroup()
      guard root.hasAttribute("model_config") else {
        let weightsOnly = root.hasAttribute("layer_names") || root.contains("model_weights")
        throw KerasImportError.notAKerasModel(
          reason: weightsOnly
            ? "it holds weights but no 'model_config' attribute (saved with save_weights()?); "
              + "save the whole model with model.save()"
            : "it has no 'model_config' attribute; "
              + "save the model with model.save('model.h5') or model.save('model.keras')")
      }
      let configText = try root.stringAttribute("model_config")
      let modelConfig = try parseConfig(Data(configText.utf8), what: "the 'model_config' attribute")
      var version = root.hasAttribute("keras_version") ? try root.stringAttribute("keras_version") : nil
      guard root.kind(of: "model_weights") == .group else {
        throw KerasImportError.notAKerasModel(
          reason: "it has a 'model_config' attribute but no 'model_weights' group; save the model with its weights")
      }
      let weightsGroup = try root.group("model_weights")
      if version == nil, weightsGroup.hasAttribute("keras_version") {
        version = try weightsGroup.stringAttribute("keras_version")
      }
      let dialect = KerasDialect.detect(version: version, modelConfig: modelConfig, container: .hdf5)
      let chain = try KerasChain(modelConfig: modelConfig)
      return try KerasModelBuilder(
        chain: chain, dialect: dialect, store: LegacyH5WeightStore(group: weightsGroup), file: url.relativePath
      ).build()
    }
  }

  // MARK: .keras

  private static func importArchive(at url: URL) throws -> Model {
    try importArchive(try KerasArchive(url: url), file: url.relativePath)
  }

  /// Imports a Keras 3 `.keras` archive held in memory, as ``importModel(at:)`` imports one from a file;
  /// `fileName` names it in ``CanonicalModel/ModelSource``.
  public static func importArchive(data: Data, fileName: String) throws -> Model {
    try importArchive(try KerasArchive(data: data), file: fileName)
  }

  /// Parses a Keras model config (the JSON of a `.keras` archive's `config.json` or of an `.h5` file's
  /// `model_config` attribute) and maps it onto a chain of layers as an import does, without reading
  /// any weights (so without libhdf5). Returns the chain's Keras layer names in order.
  /// - Throws: ``KerasImportError`` for a config an import would refuse before reading weights.
  public static func checkModelConfig(_ data: Data) throws -> [String] {
    let modelConfig = try parseConfig(data, what: "the model config")
    _ = KerasDialect.detect(version: nil, modelConfig: modelConfig, container: .archive)
    return try KerasChain(modelConfig: modelConfig).layers.map(\.name)
  }

  private static func importArchive(_ archive: KerasArchive, file fileName: String) throws -> Model {
    guard let configData = try archive.data(of: "config.json", limit: UInt64(maximumConfigSize)) else {
      throw KerasImportError.missingArchiveMember("config.json")
    }
    let modelConfig = try parseConfig(configData, what: "config.json")
    // The config is checked before the weights are opened: a refusal costs no libhdf5 work.
    let chain = try KerasChain(modelConfig: modelConfig)
    var version: String?
    if let metadata = try archive.data(of: "metadata.json", limit: UInt64(maximumConfigSize)) {
      version = (try? JSONValue.parse(metadata))?["keras_version"]?.string
    }
    guard let weights = try archive.data(of: "model.weights.h5") else {
      throw KerasImportError.missingArchiveMember("model.weights.h5")
    }
    let file: HDF5File
    do {
      file = try HDF5File(image: weights, name: "model.weights.h5")
    } catch let error as HDF5Error {
      throw KerasImportError.corruptArchive(reason: error.description)
    }
    let dialect = KerasDialect.detect(version: version, modelConfig: modelConfig, container: .archive)
    return try hdf5Errors {
      let store = NativeKerasWeightStore(root: try file.rootGroup(), savedLayers: chain.savedLayers)
      return try KerasModelBuilder(chain: chain, dialect: dialect, store: store, file: fileName).build()
    }
  }

  // MARK: Helpers

  private static func parseConfig(_ data: Data, what: String) throws -> JSONValue {
    guard data.count <= maximumConfigSize else {
      throw KerasImportError.invalidConfig("\(what) is larger than \(maximumConfigSize) bytes")
    }
    do {
      return try JSONValue.parse(data)
    } catch {
      throw KerasImportError.invalidConfig("\(what) is not valid JSON")
    }
  }

  /// Runs `body`, turning a stray ``HDF5Error`` into a ``KerasImportError``.
  private static func hdf5Errors<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as HDF5Error {
      throw KerasImportError.corruptHDF5(reason: error.description)
    }
  }
}
