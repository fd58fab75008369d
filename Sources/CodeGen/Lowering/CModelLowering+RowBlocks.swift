extension CModelLowering {
  /// A run of gate rows in the row-block layout: `rows` rows of `z` from `output`, whose weights
  /// are columns `column ..< column + rows` of the fused (host-layout) kernel's rows `kernelRows`,
  /// one part per vector the rows multiply (the input, then the hidden state).
  struct RowSegment {
    struct Part {
      var kernelRows: Range<Int>
      var column: Int
      /// The C expression of the vector this part multiplies.
      var source: String
    }
    var output: Int
    var rows: Int
    var parts: [Part]
    var biasOffset: Int?
    var accumulates = false
  }

  /// Reorders a fused kernel `[(I + H) × rowLength]` for `segments` (in order, one after another)
  /// in blocks of `block` rows, `w[block][k][row]`, then the last `rows % block` rows one after another.
  /// Returns the packed weights and each segment's call.
  static func rowBlocks(fused: [Float], rowLength: Int, segments: [RowSegment], block: Int)
    -> (weights: [Float], calls: [CRowCallContext])
  {
    var weights: [Float] = []
    var calls: [CRowCallContext] = []
    for segment in segments {
      let offset = weights.count
      let blocked = segment.rows / block * block
      for start in stride(from: 0, to: blocked, by: block) {
        for part in segment.parts {
          for k in part.kernelRows {
            for r in 0..<block { weights.append(fused[k * rowLength + part.column + start + r]) }
          }
        }
      }
      for row in blocked..<segment.rows {
        for part in segment.parts {
          for k in part.kernelRows { weights.append(fused[k * rowLength + part.column + row]) }
        }
      }
      let first = segment.parts[0]
      let second = segment.parts.count > 1 ? segment.parts[1] : nil
      calls.append(
        CRowCallContext(
          output: segment.output, hasBias: segment.biasOffset != nil, biasOffset: segment.biasOffset ?? 0,
          accumulates: segment.accumulates,
          weightOffset: offset, rows: segment.rows, firstVector: first.source, firstLength: first.kernelRows.count,
          secondVector: second?.source ?? "NULL", secondLength: second?.kernelRows.count ?? 0))
    }
    return (weights, calls)
  }

  /// The kernel table's comment in a row-block layout.
  func rowBlockSummary(_ name: String, block: Int, segments: [RowSegment]) -> String {
    let runs = segments.map { segment in
      let sources = segment.parts.map { "\($0.source) (\($0.kernelRows.count))" }.joined(separator: ", ")
      return "z[\(segment.output) ..< \(segment.output + segment.rows)] from \(sources)"
    }
    return "\(name) kernel in blocks of \(block) gate rows, w[block][k][row] (the last rows % \(block) rows "
      + "one after another), read in order by \(prefix)_rows: " + runs.joined(separator: "; ")
  }
}
