/// Where the generated code came from; every string is safe inside a C comment.
struct CProvenanceContext: Encodable {
  /// `lstmc 0.1.0`.
  var tool: String
  /// The model file as given on the command line.
  var sourceFile: String
  /// `keras2-h5`, `keras3-keras`, ...
  var sourceFormat: String
  /// `tf-keras 2.21.0`, ...
  var framework: String
  /// The command line.
  var commandLine: String
  /// The gate products' layout (``TargetCore/layoutSummary``), C only.
  var layout: String
}
