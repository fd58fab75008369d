import Foundation

/// The folder of lstmc's bundled templates (`templates/c/…`), as SwiftPM
/// copied it into the build's resource bundle.
public enum Templates {
  /// The root of the bundled template folders; `c/` holds the C templates.
  public static var root: URL { Bundle.module.resourceURL ?? Bundle.module.bundleURL }
}
