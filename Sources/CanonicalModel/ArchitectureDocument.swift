/// The whole architecture as stored, JSON-encoded, in the `architecture`
/// metadata entry of an `lstmc-model-1` safetensors file.
struct ArchitectureDocument: Codable, Equatable {
  var inputs: [ModelInput]
  var layers: [LayerDocument]
  var outputs: [OutputDocument]
  var source: ModelSource
}
