/// Checks how deeply subgraphs nest before protobuf-c sees the bytes.
///
/// protobuf-c unpacks nested messages recursively with no depth limit, so a
/// small hostile file of deeply nested Graph → Node → Attribute → Graph
/// messages could exhaust the stack. This scanner walks only that path of the
/// wire format, iteratively per level and bounded by the limit, and stops
/// quietly at malformed data (protobuf-c then reports it).
struct ProtobufDepthScanner {
  private enum Message { case model, graph, node, attribute }

  let limit: Int

  func check(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    try scan(bytes, from: 0, to: bytes.count, message: .model, graphDepth: 0)
  }

  private func scan(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, message: Message, graphDepth: Int
  ) throws {
    var position = start
    while position < end {
      guard let key = varint(bytes, &position, end) else { return }
      let field = key >> 3
      switch key & 7 {
      case 0:
        guard varint(bytes, &position, end) != nil else { return }
      case 1:
        position += 8
      case 5:
        position += 4
      case 2:
        guard let length = varint(bytes, &position, end), length <= UInt64(end - position) else { return }
        let childEnd = position + Int(length)
        if let child = child(of: message, field: field) {
          let depth = child == .graph ? graphDepth + 1 : graphDepth
          if depth > limit { throw ONNXImportError.graphTooDeep(limit: limit) }
          try scan(bytes, from: position, to: childEnd, message: child, graphDepth: depth)
        }
        position = childEnd
      default:
        return
      }
    }
  }

  private func child(of message: Message, field: UInt64) -> Message? {
    switch (message, field) {
    case (.model, 7): return .graph
    case (.graph, 1): return .node
    case (.node, 5): return .attribute
    case (.attribute, 6), (.attribute, 11): return .graph
    default: return nil
    }
  }

  private func varint(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int, _ end: Int) -> UInt64? {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while position < end, shift < 64 {
      let byte = bytes[position]
      position += 1
      value |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return value }
      shift += 7
    }
    return nil
  }
}
