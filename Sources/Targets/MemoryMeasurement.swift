import Foundation

/// Measures what C sources cost on a Cortex-M4F: each source is compiled with
/// `arm-none-eabi-gcc -Os -mcpu=cortex-m4 -mthumb -mfloat-abi=hard
/// -mfpu=fpv4-sp-d16 -ffunction-sections -fdata-sections -fstack-usage
/// -fcallgraph-info=su -c`; `arm-none-eabi-size` gives the section sizes of the
/// objects, the `.su` files each function's frame and the `.ci` call graphs the
/// worst chain of calls below it.
public enum MemoryMeasurement {
  /// The flags the sources are compiled with (after the compiler).
  public static let compileFlags = compileFlags(for: .cortexM4)

  /// The flags the sources are compiled with for `target` (a Cortex-M).
  public static func compileFlags(for target: CTarget) -> [String] {
    ["-std=c99", "-Os"] + target.machineFlags + [
      "-ffunction-sections", "-fdata-sections", "-fstack-usage", "-fcallgraph-info=su",
    ]
  }

  /// Compiles every source to an object in `workDirectory` and measures them together.
  ///
  /// - Parameters:
  ///   - cc: the cross compiler, `arm-none-eabi-gcc` unless given;
  ///     `arm-none-eabi-size` is looked for next to it, then on `PATH`.
  ///   - target: the core the sources are compiled for (a Cortex-M4F unless given).
  /// - Throws: ``CProgramError``: a missing tool, a compile error, a timeout.
  public static func measure(
    sources: [URL], includeDirectories: [URL] = [], defines: [String] = [], extraFlags: [String] = [],
    workDirectory: URL, cc: String? = nil, target: CTarget = .cortexM4
  ) throws -> MemoryUsage {
    let runner = CProgramRunner(target: target.isCortexM ? target : .cortexM4, cc: cc)
    let compilerName = runner.cc.split(separator: " ").first.map(String.init) ?? runner.cc
    let compiler = try ToolLocator.require(ToolLocator.Tool(name: compilerName, remedy: ToolLocator.Tool.armGCC.remedy))
    let size = try sizeTool(besides: compiler)
    try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)

    var objects: [URL] = []
    for (index, source) in sources.enumerated() {
      let base = "\(index)-\(source.deletingPathExtension().lastPathComponent)"
      let object = workDirectory.appendingPathComponent("\(base).o")
      for suffix in ["o", "su", "ci"] {
        try? FileManager.default.removeItem(at: workDirectory.appendingPathComponent("\(base).\(suffix)"))
      }
      var arguments =
        Array(runner.cc.split(separator: " ").dropFirst().map(String.init)) + compileFlags(for: runner.target)
      arguments += includeDirectories.map { "-I\($0.path)" } + defines.map { "-D\($0)" } + extraFlags
      arguments += ["-c", source.path, "-o", object.path]
      let outcome = try ProcessRunner.run(
        compiler, arguments, in: workDirectory, capture: "\(base).compile", timeout: runner.compileTimeout)
      guard outcome.status == 0 else {
        throw CProgramError.compileFailed(
          compiler: compilerName, diagnostics: CProgramRunner.firstErrors(outcome.stderr + outcome.stdout))
      }
      objects.append(object)
    }

    let sizes = try ProcessRunner.run(size, objects.map(\.path), in: workDirectory, capture: "size", timeout: 60)
    let sections = try ProcessRunner.run(
      size, ["-A"] + objects.map(\.path), in: workDirectory, capture: "size-A", timeout: 60)
    guard sizes.status == 0, sections.status == 0 else {
      throw CProgramError.compileFailed(
        compiler: size.lastPathComponent, diagnostics: CProgramRunner.firstErrors(sizes.stderr + sections.stderr))
    }
    let berkeley = parseBerkeley(sizes.stdout)
    let readOnly = parseSections(sections.stdout).filter { $0.name.hasPrefix(".rodata") }.reduce(0) { $0 + $1.size }

    var frames: [StackFrame] = []
    var graph = CallGraph()
    for object in objects {
      let stem = object.deletingPathExtension()
      if let text = try? String(contentsOf: stem.appendingPathExtension("su"), encoding: .utf8) {
        frames += parseStackUsage(text)
      }
      if let text = try? String(contentsOf: stem.appendingPathExtension("ci"), encoding: .utf8) {
        graph.merge(parseCallGraph(text))
      }
    }
    return MemoryUsage(
      text: berkeley.text, readOnlyData: readOnly, data: berkeley.data, bss: berkeley.bss,
      functions: graph.stackUsage(frames: frames))
  }

  /// ``measure(sources:includeDirectories:defines:extraFlags:workDirectory:cc:)``, or `nil` when
  /// `arm-none-eabi-gcc` or `arm-none-eabi-size` is not installed.
  public static func measureIfAvailable(
    sources: [URL], includeDirectories: [URL] = [], defines: [String] = [], extraFlags: [String] = [],
    workDirectory: URL, cc: String? = nil
  ) throws -> MemoryUsage? {
    do {
      return try measure(
        sources: sources, includeDirectories: includeDirectories, defines: defines, extraFlags: extraFlags,
        workDirectory: workDirectory, cc: cc)
    } catch CProgramError.toolNotFound {
      return nil
    }
  }

  /// `arm-none-eabi-size` from the compiler's folder, else from `PATH`.
  private static func sizeTool(besides compiler: URL) throws -> URL {
    let name = compiler.lastPathComponent
    if name.hasSuffix("gcc") {
      let sibling = compiler.deletingLastPathComponent().appendingPathComponent(
        String(name.dropLast(3)) + "size")
      if let found = ToolLocator.find(sibling.path) { return found }
    }
    return try ToolLocator.require(.armSize)
  }

  // MARK: - Parsing

  /// Sums the Berkeley columns (`text data bss dec hex filename`) over all objects.
  static func parseBerkeley(_ output: String) -> (text: Int, data: Int, bss: Int) {
    var totals = (text: 0, data: 0, bss: 0)
    for line in output.split(separator: "\n") {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard fields.count >= 3, let text = Int(fields[0]), let data = Int(fields[1]), let bss = Int(fields[2]) else {
        continue
      }
      totals.text += text
      totals.data += data
      totals.bss += bss
    }
    return totals
  }

  /// The `section size addr` rows of `size -A`, over all objects.
  static func parseSections(_ output: String) -> [(name: String, size: Int)] {
    output.split(separator: "\n").compactMap { line in
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard fields.count == 3, fields[0].hasPrefix("."), let size = Int(fields[1]) else { return nil }
      return (String(fields[0]), size)
    }
  }

  /// One `-fstack-usage` row: `file:line:column:name<TAB>bytes<TAB>qualifier`.
  struct StackFrame: Equatable {
    var name: String
    var bytes: Int
    var qualifier: String
  }

  static func parseStackUsage(_ text: String) -> [StackFrame] {
    text.split(separator: "\n").compactMap { line in
      let columns = line.split(separator: "\t")
      guard columns.count == 3, let bytes = Int(columns[1]) else { return nil }
      let location = columns[0]
      let name = location.split(separator: ":").last.map(String.init) ?? String(location)
      return StackFrame(name: name, bytes: bytes, qualifier: String(columns[2]))
    }
  }

  /// The nodes and edges of a `-fcallgraph-info=su` file (VCG text).
  struct CallGraph {
    struct Node {
      var name: String
      var bytes: Int?
      var qualifier: String?
    }

    /// Nodes by title (a static function's title is `file:name`, an external one's its name).
    var nodes: [String: Node] = [:]
    /// Callees by caller title, in source order, without repeats.
    var edges: [String: [String]] = [:]

    mutating func merge(_ other: CallGraph) {
      for (title, node) in other.nodes where nodes[title]?.bytes == nil { nodes[title] = node }
      for (source, targets) in other.edges {
        for target in targets where !(edges[source]?.contains(target) ?? false) {
          edges[source, default: []].append(target)
        }
      }
    }

    /// Every function with a frame: its worst path through callees with known frames.
    func stackUsage(frames: [StackFrame]) -> [FunctionStackUsage] {
      var defined: [String: (bytes: Int, qualifier: String)] = [:]
      var names: [String: String] = [:]
      for (title, node) in nodes {
        names[title] = node.name
        if let bytes = node.bytes { defined[title] = (bytes, node.qualifier ?? "static") }
      }
      // Functions the call graph lacks (or all, without one): the .su frame alone.
      let inGraph = Set(defined.keys.compactMap { names[$0] })
      for frame in frames where !inGraph.contains(frame.name) {
        defined[frame.name] = (frame.bytes, frame.qualifier)
        names[frame.name] = frame.name
      }
      var memo: [String: (worst: Int, unknown: Set<String>, recursive: Bool)] = [:]
      var onPath: Set<String> = []

      func visit(_ title: String) -> (worst: Int, unknown: Set<String>, recursive: Bool) {
        if let known = memo[title] { return known }
        guard let own = defined[title] else { return (0, [names[title] ?? title], false) }
        if onPath.contains(title) { return (0, [], true) }
        onPath.insert(title)
        var deepest = 0
        var unknown: Set<String> = []
        var recursive = false
        for callee in edges[title] ?? [] {
          let result = visit(callee)
          deepest = max(deepest, result.worst)
          unknown.formUnion(result.unknown)
          recursive = recursive || result.recursive
        }
        onPath.remove(title)
        let result = (own.bytes + deepest, unknown, recursive)
        // A result inside a cycle depends on where the cycle was entered; only memoise clean ones.
        if !recursive { memo[title] = result }
        return result
      }

      return defined.keys.map { title -> FunctionStackUsage in
        let own = defined[title]!
        let result = visit(title)
        return FunctionStackUsage(
          name: names[title] ?? title, frame: own.bytes, qualifier: own.qualifier, worstPath: result.worst,
          callees: (edges[title] ?? []).map { names[$0] ?? $0 }, unknownCallees: result.unknown.sorted(),
          isRecursive: result.recursive)
      }.sorted { ($0.name, $0.frame) < ($1.name, $1.frame) }
    }
  }

  static func parseCallGraph(_ text: String) -> CallGraph {
    var graph = CallGraph()
    for line in text.split(separator: "\n").map(String.init) {
      if line.hasPrefix("node:") {
        guard let title = quoted(after: "title:", in: line) else { continue }
        let label = quoted(after: "label:", in: line) ?? title
        let parts = label.components(separatedBy: "\\n")
        var node = CallGraph.Node(name: parts.first ?? title, bytes: nil, qualifier: nil)
        if let usage = parts.first(where: { $0.contains(" bytes") }) {
          let words = usage.split(separator: " ", maxSplits: 2)
          node.bytes = words.first.flatMap { Int($0) }
          if words.count == 3 { node.qualifier = words[2].trimmingCharacters(in: CharacterSet(charactersIn: "()")) }
        } else {
          // A function defined elsewhere: its title is the symbol (`memcpy`, where the label says `__builtin_memcpy`).
          node.name = title == "__indirect_call" ? "(indirect call)" : title
        }
        if graph.nodes[title]?.bytes == nil { graph.nodes[title] = node }
      } else if line.hasPrefix("edge:") {
        guard let source = quoted(after: "sourcename:", in: line), let target = quoted(after: "targetname:", in: line)
        else { continue }
        if !(graph.edges[source]?.contains(target) ?? false) { graph.edges[source, default: []].append(target) }
      }
    }
    return graph
  }

  /// The double-quoted string after `key` in `line` (backslash escapes kept as written).
  private static func quoted(after key: String, in line: String) -> String? {
    guard let keyRange = line.range(of: key) else { return nil }
    guard let open = line[keyRange.upperBound...].firstIndex(of: "\"") else { return nil }
    var index = line.index(after: open)
    var result = ""
    while index < line.endIndex {
      let character = line[index]
      if character == "\\" {
        let next = line.index(after: index)
        if next < line.endIndex, line[next] == "\"" {
          result.append("\"")
          index = line.index(after: next)
          continue
        }
      }
      if character == "\"" { return result }
      result.append(character)
      index = line.index(after: index)
    }
    return nil
  }
}
