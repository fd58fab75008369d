/// A batch of integer codes flowing between layers of the integer reference:
/// a sequence `[batch, time, features]` or a vector `[batch, features]` (`time == nil`).
struct IntegerValue {
  var data: [Int32]
  var batch: Int
  var time: Int?
  var features: Int

  var steps: Int { time ?? 1 }
  var shape: [Int] { time.map { [batch, $0, features] } ?? [batch, features] }
}
