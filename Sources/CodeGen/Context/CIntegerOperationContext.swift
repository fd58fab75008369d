/// One statement of integer code, spelled by `templates/c/integer_source.c.stencil`.
///
/// `kind` says which fields apply:
/// - `lstmStep`: one step of ``lstm`` on `source`, updating `hidden` and `cell` (streaming models);
/// - `lstmRun`: ``lstm`` over `rows` steps of `source` from the state in `hidden` and `cell`, writing every
///   step (`returnSequences`) or the last into `target`, `stride` values apart (models that buffer);
/// - `dense`: `rows` rows of `source` through ``matrix`` into `target`, requantized at `zero`, `relu` or not;
/// - `relu`: `rows * width` values of `source` clamped below at `zero` into `target`;
/// - `copy`: `rows * width` values of `source` into `target` (an output, or the last step kept);
/// - `gruStep`, `gruRun`: as `lstmStep`, `lstmRun` for the GRU descriptor ``gru`` (no `cell`);
/// - `embed`: `rows` indices of `source` to their table rows (``CIntegerContext/embedding``) into `target`.
struct CIntegerOperationContext: Encodable {
  var kind: String
  /// What it computes (comment-safe).
  var summary: String
  /// C expressions: where it reads and writes.
  var source: String
  var target: String
  /// A C expression: rows of `source` (`1` or `steps`).
  var rows: String
  /// Values per row of `source` (`relu`, `copy`).
  var width: Int = 0
  /// The LSTM descriptor (`lstmStep`, `lstmRun`) and the direction's state fields.
  var lstm: String?
  var hidden: String?
  var cell: String?
  var stride: Int = 0
  var returnSequences: Int = 0
  var backward: Int = 0
  var reversedOutput: Int = 0
  /// The GRU descriptor (`gruStep`, `gruRun`).
  var gru: String?
  /// The Dense descriptor.
  var matrix: String?
  var zero: Int32 = 0
  var relu: Int = 0
}
