import Foundation
import Testing

@testable import CanonicalModel

@Suite struct FileLayoutTests {
  /// Canonical `[batch 2, time 3, 2 * hidden 2]` laid out as ONNX's Y `[time, directions, batch, hidden]`.
  static let onnxY: [AxisSource] = [.canonical(1), .outer(axis: 2, count: 2), .canonical(0), .inner(axis: 2, count: 2)]

  @Test func onnxYRoundTrips() throws {
    let canonical = Tensor(shape: [2, 3, 4], data: (0..<24).map(Float.init))
    let file = FileLayout.toFile(canonical, axes: Self.onnxY)
    #expect(file.shape == [3, 2, 2, 2])
    // file[t, d, b, j] = canonical[b, t, d * 2 + j]
    for t in 0..<3 {
      for d in 0..<2 {
        for b in 0..<2 {
          for j in 0..<2 {
            #expect(file.data[((t * 2 + d) * 2 + b) * 2 + j] == canonical.data[(b * 3 + t) * 4 + d * 2 + j])
          }
        }
      }
    }
    #expect(FileLayout.toCanonical(file, axes: Self.onnxY, canonicalRank: 3) == canonical)
  }

  @Test func unitAxesAndTransposes() throws {
    let canonical = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
    let axes: [AxisSource] = [.unit, .canonical(0), .canonical(1)]
    let file = FileLayout.toFile(canonical, axes: axes)
    #expect(file.shape == [1, 2, 3] && file.data == canonical.data)
    #expect(FileLayout.toCanonical(file, axes: axes, canonicalRank: 2) == canonical)
    let transposed = FileLayout.toFile(canonical, axes: [.canonical(1), .canonical(0)])
    #expect(transposed.data == [1, 4, 2, 5, 3, 6])
    #expect(FileLayout.toCanonical(Tensor(shape: [2, 2, 3], repeating: 0), axes: axes, canonicalRank: 2) == nil)
  }

  @Test func shapesKeepUnknownDimensions() {
    #expect(FileLayout.fileShape([nil, nil, 8], axes: Self.onnxY) == [nil, 2, nil, 4])
    #expect(FileLayout.fileShape([nil, 5], axes: nil) == [nil, 5])
  }

  @Test func invalidLayoutsAreFound() {
    #expect(FileLayout.validate(Self.onnxY, canonicalRank: 3) == nil)
    #expect(FileLayout.validate([.canonical(0), .canonical(0)], canonicalRank: 2) != nil)
    #expect(FileLayout.validate([.canonical(0)], canonicalRank: 2) != nil)
    #expect(FileLayout.validate([.canonical(0), .outer(axis: 1, count: 2)], canonicalRank: 2) != nil)
  }

  @Test func axisSourcesAndRolesAreCodable() throws {
    let axes: [AxisSource] = [.canonical(1), .unit, .outer(axis: 2, count: 2), .inner(axis: 2, count: 2)]
    #expect(try JSONDecoder().decode([AxisSource].self, from: JSONEncoder().encode(axes)) == axes)
    for role in [InputRole.sequence, .sequenceLengths, .initialHiddenState(layer: 3), .initialCellState(layer: 0)] {
      #expect(InputRole(identifier: role.identifier) == role)
    }
    for port in [LayerPort.hiddenStates, .cellStates] { #expect(LayerPort(identifier: port.identifier) == port) }
  }

  @Test func inputsWithoutTheNewKeysStillDecode() throws {
    let old = #"{"name":"x","elementType":"float32","shape":[null,10,3]}"#
    let input = try JSONDecoder().decode(ModelInput.self, from: Data(old.utf8))
    #expect(input.role == nil && input.fileAxes == nil && input.effectiveRole == .sequence)
    let encoded = String(decoding: try JSONEncoder().encode(input), as: UTF8.self)
    #expect(!encoded.contains("role") && !encoded.contains("fileAxes"))
  }

  @Test func newActivationsAreCodable() throws {
    for activation in [
      Activation.affine(alpha: 0.5, beta: -1), .leakyRelu(alpha: 0.01), .thresholdedRelu(alpha: 0.2),
      .scaledTanh(alpha: 1.5, beta: 0.5),
    ] {
      #expect(try JSONDecoder().decode(Activation.self, from: JSONEncoder().encode(activation)) == activation)
      #expect(activation.description.contains(activation.name))
    }
  }
}
