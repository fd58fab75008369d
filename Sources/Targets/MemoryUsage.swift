/// What generated C costs on a Cortex-M4F: section sizes of its objects and the
/// stack its functions need, as measured by ``MemoryMeasurement``.
public struct MemoryUsage: Equatable, Sendable, Codable {
  /// Code and read-only data, bytes (`arm-none-eabi-size`'s `text` column).
  public var text: Int
  /// The read-only data inside ``text`` (the `.rodata` sections: weights and tables).
  public var readOnlyData: Int
  /// Initialised writable data, bytes (in flash and again in RAM).
  public var data: Int
  /// Zero-initialised data, bytes (RAM only).
  public var bss: Int
  /// Stack usage of every function the compiler emitted, sorted by name.
  public var functions: [FunctionStackUsage]

  /// Creates a measurement.
  public init(text: Int, readOnlyData: Int, data: Int, bss: Int, functions: [FunctionStackUsage]) {
    self.text = text
    self.readOnlyData = readOnlyData
    self.data = data
    self.bss = bss
    self.functions = functions
  }

  /// Flash the objects occupy: code, constants and the initial values of `.data`.
  public var flash: Int { text + data }
  /// Static RAM the objects occupy (the stack not included).
  public var ram: Int { data + bss }
  /// The code alone (``text`` without ``readOnlyData``).
  public var code: Int { text - readOnlyData }

  /// The stack usage of the function called `name`, if the compiler emitted it.
  public func stack(of name: String) -> FunctionStackUsage? {
    functions.first { $0.name == name }
  }
}

/// The stack one function needs, from gcc's `-fstack-usage` and `-fcallgraph-info=su`.
public struct FunctionStackUsage: Equatable, Sendable, Codable {
  /// The function's name.
  public var name: String
  /// Its own frame, bytes (`-fstack-usage`).
  public var frame: Int
  /// `static`, `dynamic` or `dynamic,bounded`, as gcc qualifies the frame.
  public var qualifier: String
  /// The frame plus the deepest chain of callees compiled with it: the worst
  /// case, not counting ``unknownCallees`` (library and indirect calls) and
  /// counting each recursive cycle once.
  public var worstPath: Int
  /// The functions it calls directly.
  public var callees: [String]
  /// Functions reachable from it whose stack is not known (library functions
  /// such as `expf`, indirect calls); their frames come on top of ``worstPath``.
  public var unknownCallees: [String]
  /// Whether it can reach itself through calls (its stack is then unbounded).
  public var isRecursive: Bool

  /// Creates a stack usage record.
  public init(
    name: String, frame: Int, qualifier: String, worstPath: Int, callees: [String], unknownCallees: [String],
    isRecursive: Bool
  ) {
    self.name = name
    self.frame = frame
    self.qualifier = qualifier
    self.worstPath = worstPath
    self.callees = callees
    self.unknownCallees = unknownCallees
    self.isRecursive = isRecursive
  }

  /// Whether ``worstPath`` is a true bound: static frames all the way down, no recursion, no unknown callees.
  public var isExact: Bool { unknownCallees.isEmpty && !isRecursive && qualifier == "static" }
}
