import CanonicalModel
import FixtureFormat
import Foundation
import TestSupport
import Testing
import Verification

@testable import ONNXImport

/// The exporters' matrix (`Fixtures/onnx/matrix/`, written by `generate_onnx_matrix.py`): every cell
/// either imports and verifies on the interpreter and as C on the host, or is refused with one line that
/// names the node and is listed, with that line, in ``ONNXMatrixRefusals``. A cell that imports but is
/// listed, or is refused but not listed (or with another message), fails.
@Suite struct ONNXMatrixTests {
  static let folder = ONNXFixtureTests.onnx.appendingPathComponent("matrix")

  struct Cell: Decodable, CustomTestStringConvertible, Sendable {
    var stem: String
    var part: String
    var exporter: String
    var exportError: String?
    var testDescription: String { stem }

    enum CodingKeys: String, CodingKey {
      case stem, part, exporter
      case exportError = "export_error"
    }
  }

  static let cells: [Cell] = {
    guard let data = try? Data(contentsOf: folder.appendingPathComponent("manifest.json")),
      let cells = try? JSONDecoder().decode([Cell].self, from: data)
    else { return [] }
    return cells
  }()

  /// The cells the exporters wrote (a cell whose export failed has no files).
  static let exported = cells.filter { $0.exportError == nil }
  /// The exported cells lstmc must import.
  static let importable = exported.filter { ONNXMatrixRefusals.expected[$0.stem] == nil }

  static func load(_ cell: Cell) throws -> (Fixture, Model) {
    let model = try ONNXImporter.importModel(at: folder.appendingPathComponent("\(cell.stem).onnx"))
    let fixture = try Fixture(contentsOf: folder.appendingPathComponent("\(cell.stem).fixture.json"))
    return (fixture, model)
  }

  /// The import's refusal message, or `nil` when the model imports.
  static func refusal(_ cell: Cell) -> String? {
    do {
      _ = try ONNXImporter.importModel(at: folder.appendingPathComponent("\(cell.stem).onnx"))
      return nil
    } catch {
      return "\(error)"
    }
  }

  /// 211 cells, all exported (tf2onnx from_keras 61 LSTM and 31 GRU, Keras 3 19, torch 100); 17 refused.
  /// Host C covers every feature in 57 builds (about 45 s of CPU; the bound guards the suite's time).
  @Test func theMatrixIsThere() {
    #expect(Self.cells.count == 211)
    #expect(Self.exported.count == 211)
    #expect(
      Dictionary(grouping: Self.exported, by: \.part).mapValues(\.count) == [
        "k2": 61, "k2_gru": 31, "k3": 19, "torch": 100,
      ])
    #expect(ONNXMatrixRefusals.expected.count == 17)
    #expect(Self.importable.count == 194)
    #expect((30...70).contains(Self.cCover.count), "\(Self.cCover.count) host C builds")
  }

  /// Every listed refusal is an exported cell of the matrix (a stale entry fails).
  @Test func theRefusalListNamesCellsOfTheMatrix() {
    let stems = Set(Self.exported.map(\.stem))
    for stem in ONNXMatrixRefusals.expected.keys.sorted() {
      #expect(stems.contains(stem), "\(stem) is in ONNXMatrixRefusals but not an exported cell")
    }
  }

  /// Listed cells are refused with their listed one-line message, naming a node.
  @Test(arguments: exported.filter { ONNXMatrixRefusals.expected[$0.stem] != nil })
  func isRefusedWithItsListedMessage(cell: Cell) throws {
    guard let message = Self.refusal(cell) else {
      Issue.record("\(cell.stem) imports now: remove it from ONNXMatrixRefusals")
      return
    }
    #expect(message == ONNXMatrixRefusals.expected[cell.stem], "\(cell.stem): \(message)")
    #expect(!message.contains("\n") && message.contains("node '"), "\(message)")
  }

  /// Every other cell imports and its fixture verifies on the interpreter.
  @Test(arguments: importable)
  func importsAndVerifiesOnTheInterpreter(cell: Cell) throws {
    let (fixture, model) = try Self.load(cell)
    let report = try Verifier(model: model).verify(fixture, on: .interpreter, fixtureName: cell.stem)
    #expect(report.passed, "\(ReportFormatter.text([report]))")
  }

  /// ... and as C on the host: the cells of ``cCover``.
  @Test(arguments: cCover)
  func verifiesAsCOnTheHost(cell: Cell) throws {
    let (fixture, model) = try Self.load(cell)
    let report = try Verifier(model: model).verify(fixture, on: .c, fixtureName: cell.stem)
    #expect(report.passed, "\(ReportFormatter.text([report]))")
  }

  /// A layer's output that a later node changed (here the Bidirectional's raw `Y` once its directions are
  /// added, or their sum once it is halved into an average) cannot also be a graph output: lstmc maps each
  /// layer's output one way only, so such a graph is refused instead of computing the changed output twice.
  @Test(arguments: [("k2_lstm_bidi_sum_seq_none", "LSTM"), ("k2_lstm_bidi_ave_seq_none", "Add")])
  func anOutputReadBeforeItsLayerChangedIsRefused(stem: String, opType: String) throws {
    var file = try ONNXModelFile(contentsOf: Self.folder.appendingPathComponent("\(stem).onnx"))
    _ = try ONNXImporter.importModel(file, fileName: stem)
    let node = try #require(file.graph.nodes.first { $0.opType == opType })
    file.graph.outputs.append(ONNXValueInfo(name: node.outputs[0], elementType: .float, shape: nil))
    #expect {
      try ONNXImporter.importModel(file, fileName: stem)
    } throws: { error in
      "\(error)".contains("graph output '\(node.outputs[0])' reads") && "\(error)".contains("before node")
    }
  }

  /// A covering subset of the importable cells for host C (each C build costs about 1.5 s of CPU in a debug
  /// build, mostly rendering): greedily, the cell that adds the most ``features(_:)`` not yet covered, until
  /// every feature of every importable cell is in some chosen cell.
  static let cCover: [Cell] = ModelFeatures.cover(
    importable.compactMap { cell in
      guard let model = try? load(cell).1, let features = try? ModelFeatures.of(model) else { return nil }
      return (cell, features)
    }
  ).sorted { $0.stem < $1.stem }

  /// With `LSTMC_RECORD_MATRIX_REFUSALS=1`, rewrites `ONNXMatrixRefusals.swift` from what lstmc does now
  /// (review the diff: a cell that leaves the list must then pass its fixture).
  @Test(.enabled(if: ProcessInfo.processInfo.environment["LSTMC_RECORD_MATRIX_REFUSALS"] == "1"))
  func recordRefusals() throws {
    var lines: [String] = []
    for cell in Self.exported {
      guard let message = Self.refusal(cell) else { continue }
      let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      lines.append("    \"\(cell.stem)\":\n      \"\(escaped)\",")
    }
    let source = """
      /// The cells of the exporters' matrix (`Fixtures/onnx/matrix/`) that lstmc refuses, each with its
      /// refusal message. Written by `LSTMC_RECORD_MATRIX_REFUSALS=1 swift test --filter recordRefusals`;
      /// checked both ways by ``ONNXMatrixTests``.
      enum ONNXMatrixRefusals {
        static let expected: [String: String] = [
      \(lines.isEmpty ? "    :" : lines.joined(separator: "\n"))
        ]
      }

      """
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "ONNXMatrixRefusals.swift")
    try Data(source.utf8).write(to: path)
  }
}
