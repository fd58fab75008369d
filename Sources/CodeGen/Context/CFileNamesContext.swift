/// The names of the generated files.
struct CFileNamesContext: Encodable {
  /// `name.h`.
  var header: String
  /// `name.c`.
  var source: String
  /// `name_test.c`.
  var test: String
  /// `NAME_H`, the include guard.
  var includeGuard: String
}
