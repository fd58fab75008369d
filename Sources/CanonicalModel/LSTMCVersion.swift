/// lstmc's version, for `--version`, provenance comments and file metadata.
public enum LSTMCVersion {
  /// The version string, e.g. `0.1.0`.
  public static let current = "0.1.0"
}
