import CanonicalModel
import Foundation
import Testing

@testable import Targets
@testable import Verification

/// Building, running and reading back a (hand-written) generated C test program on every C target.
@Suite struct GeneratedCRunTests {
  static let header = """
    #ifndef FAKE_H
    #define FAKE_H
    void fake_predict(const float *input, float *output, int count);
    #endif
    """

  static let model = """
    #include <math.h>
    #include "fake.h"
    void fake_predict(const float *input, float *output, int count) {
      for (int i = 0; i < count; i++) output[i] = tanhf(input[i]);
    }
    """

  /// A test program in the protocol lstmc reads: `values` lines, a `result` line, exit 0 or 1.
  static func test(verdict: String = "fabsf(output[i] - expected[i]) > 1e-6f", body: String = "") -> String {
    """
    #include <math.h>
    #include <stdio.h>
    #include "fake.h"
    static const float input[6] = {-1.0f, -0.5f, 0.0f, 0.25f, 0.5f, 2.0f};
    static const float expected[6] = {-0.761594176f, -0.462117165f, 0.0f, 0.244918662f, 0.462117165f, 0.964027584f};
    int main(void) {
      float output[6];
      int failed = 0;
      fake_predict(input, output, 6);
      \(body)
    #ifdef LSTMC_PRINT_VALUES
      printf("values 0 0");
      for (int i = 0; i < 6; i++) printf(" %.9g", (double)output[i]);
      printf("\\n");
    #endif
      for (int i = 0; i < 6; i++) if (\(verdict)) failed = 1;
      printf("result %s\\n", failed ? "FAIL" : "PASS");
      return failed;
    }
    """
  }

  static func files(test: String) -> [(name: String, contents: String)] {
    [("fake.h", header), ("fake.c", model), ("fake_test.c", test)]
  }

  static var targets: [VerificationTarget] {
    CBuildSupport.canRunCortexM ? [.c, .cCortexM4, .cCortexM3] : [.c]
  }

  @Test(arguments: targets)
  func readsTheValuesTheProgramComputed(target: VerificationTarget) throws {
    let folder = try BuildFolder(label: "fake-\(target.rawValue)")
    defer { folder.finish(failed: false) }
    let outcome = try GeneratedCRun.buildAndRun(
      files: Self.files(test: Self.test()), name: "fake", shapes: [[2, 3]], target: target, in: folder.url)
    #expect(outcome.programPassed)
    #expect(outcome.outputs.count == 1)
    #expect(outcome.outputs[0].shape == [2, 3])
    let reference = [-1.0, -0.5, 0, 0.25, 0.5, 2].map { Float(tanh($0)) }
    for (actual, expected) in zip(outcome.outputs[0].data, reference) {
      #expect(Swift.abs(actual - expected) <= 2 * expected.ulp + Float.leastNormalMagnitude)
    }
  }

  @Test func theProgramsOwnFailIsReported() throws {
    let folder = try BuildFolder(label: "fake-fail")
    defer { folder.finish(failed: false) }
    let outcome = try GeneratedCRun.buildAndRun(
      files: Self.files(test: Self.test(verdict: "output[i] > 0.9f")), name: "fake", shapes: [[6]], target: .c,
      in: folder.url)
    #expect(!outcome.programPassed)
    #expect(outcome.outputs[0].data.count == 6)
  }

  @Test(arguments: targets)
  func aCrashIsATargetFailureWithStderr(target: VerificationTarget) throws {
    let folder = try BuildFolder(label: "fake-crash")
    defer { folder.finish(failed: false) }
    let crash = Self.test(
      body:
        #"fprintf(stderr, "going down\n"); { volatile float *p = (float *)0x3f000000u; p[0] = 1.0f; ((void (*)(void))0x30000001u)(); }"#
    )
    #expect {
      try GeneratedCRun.buildAndRun(
        files: Self.files(test: crash), name: "fake", shapes: [[6]], target: target, in: folder.url)
    } throws: { error in
      guard case .targetFailed(let failed, let reason) = error as? VerificationError else { return false }
      return failed == target && reason.contains("going down") && reason.contains("the test program")
    }
  }

  @Test func noValuesIsATargetFailure() throws {
    let folder = try BuildFolder(label: "fake-silent")
    defer { folder.finish(failed: false) }
    let silent = Self.test().replacingOccurrences(of: "#ifdef LSTMC_PRINT_VALUES", with: "#ifdef NEVER")
    #expect(
      throws: VerificationError.targetFailed(
        target: .c, reason: "the test program's output cannot be read: it printed no values for case 0")
    ) {
      try GeneratedCRun.buildAndRun(
        files: Self.files(test: silent), name: "fake", shapes: [[6]], target: .c, in: folder.url)
    }
  }

  @Test func aCompileErrorIsATargetFailure() throws {
    let folder = try BuildFolder(label: "fake-broken")
    defer { folder.finish(failed: false) }
    #expect {
      try GeneratedCRun.buildAndRun(
        files: Self.files(test: "int main(void) { return nope; }\n"), name: "fake", shapes: [[6]], target: .c,
        in: folder.url)
    } throws: { error in
      guard case .targetFailed(.c, let reason) = error as? VerificationError else { return false }
      return reason.hasPrefix("the generated C does not compile") && reason.contains("fake_test.c:1")
    }
  }

  @Test func aVerdictThatContradictsTheStatusIsATargetFailure() throws {
    let result = CProgramResult(status: 0, stdout: "values 0 0 1\nresult FAIL\n", stderr: "")
    #expect(throws: VerificationError.self) { try GeneratedCRun.read(result, shapes: [[1]], target: .c) }
    let noVerdict = CProgramResult(status: 0, stdout: "values 0 0 1\n", stderr: "")
    #expect(
      throws: VerificationError.targetFailed(target: .c, reason: "the test program printed no result line")
    ) { try GeneratedCRun.read(noVerdict, shapes: [[1]], target: .c) }
  }

  @Test func theBuildFolderIsRemovedUnlessKept() throws {
    let folder = try BuildFolder(label: "fake-folder")
    #expect(FileManager.default.fileExists(atPath: folder.url.path))
    let kept = folder.finish(failed: true)
    #expect(kept == BuildFolder.keepOnFailure)
    #expect(FileManager.default.fileExists(atPath: folder.url.path) == kept)
    folder.finish(failed: false)
    #expect(!FileManager.default.fileExists(atPath: folder.url.path))
  }

  @Test func toolMessagesNameTheTarget() {
    #expect(
      VerificationError.toolMissing(
        target: .cCortexM4, tool: "qemu-system-arm", remedy: "install qemu-system-arm"
      ).description == "target c-cortex-m4 needs qemu-system-arm, which was not found; install qemu-system-arm")
  }
}

/// A target whose tools are missing is an error that names the tool.
@Suite struct GeneratedCToolTests {
  @Test func missingCrossCompilerIsNamed() {
    #expect(
      throws: VerificationError.toolMissing(
        target: .cCortexM4, tool: "arm-none-eabi-gcc", remedy: "install gcc-arm-none-eabi and libnewlib-arm-none-eabi")
    ) {
      try GeneratedCRun.requireTools(for: .cCortexM4, environment: ["PATH": "/nonexistent"])
    }
  }

  @Test(.enabled(if: CBuildSupport.hasArmCompiler))
  func missingQemuIsNamed() throws {
    let gcc = try #require(ToolLocator.find("arm-none-eabi-gcc"))
    // A PATH holding only (a link to) the compiler: qemu lives next to it in /usr/bin.
    let folder = try CBuildSupport.scratch("path")
    defer { CBuildSupport.remove(folder) }
    try FileManager.default.createSymbolicLink(
      at: folder.appendingPathComponent("arm-none-eabi-gcc"), withDestinationURL: gcc)
    #expect(
      throws: VerificationError.toolMissing(
        target: .cCortexM3, tool: "qemu-system-arm", remedy: "install qemu-system-arm")
    ) {
      try GeneratedCRun.requireTools(for: .cCortexM3, environment: ["PATH": folder.path])
    }
  }

  @Test func missingHostCompilerIsNamed() {
    let name = CProgramRunner(target: .host).cc.split(separator: " ").first.map(String.init) ?? "cc"
    guard !name.contains("/") else { return }
    #expect(throws: VerificationError.self) {
      try GeneratedCRun.requireTools(for: .c, environment: ["PATH": "/nonexistent"])
    }
  }

  @Test func installedTargetsAreTheAvailableOnesWithTheirTools() throws {
    #expect(VerificationTarget.available == [.interpreter, .c, .cCortexM4, .cCortexM3, .swift, .swiftCortexM4])
    let installed = VerificationTarget.installed
    #expect(installed.contains(.interpreter))
    #expect(installed.contains(.c))
    #expect(installed.contains(.cCortexM4) == CBuildSupport.canRunCortexM)
    try VerificationTarget.interpreter.requireTools()
  }

  @Test func sequenceBuffersCoverTheFixture() {
    #expect(GeneratedCRun.maxSteps(for: [Tensor(shape: [2, 9, 3])]) == 128)
    #expect(GeneratedCRun.maxSteps(for: [Tensor(shape: [1, 300, 1]), Tensor(shape: [1, 5])]) == 300)
    #expect(GeneratedCRun.maxSteps(for: [Tensor(shape: [4])]) == 128)
  }
}
