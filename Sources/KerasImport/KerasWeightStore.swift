/// Finds a layer's weights in a Keras file.
///
/// Legacy `.h5` files name weights (``LegacyH5WeightStore``); native `.keras`
/// archives number them under paths derived from layer classes (``NativeKerasWeightStore``).
protocol KerasWeightStore {
  /// The weights of `part` of `layer`; `roles` lists the Keras weight names in
  /// the order Keras creates them (`kernel`, `recurrent_kernel`, `bias`), which
  /// is how numbered weights are named.
  func weights(of layer: KerasLayerConfig, part: KerasWeightPart, roles: [String]) throws -> KerasWeightGroup
}
