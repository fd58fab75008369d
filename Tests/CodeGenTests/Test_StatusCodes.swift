import CanonicalModel
import CodeGen
import Foundation
import Testing

/// What `name_predict` and `name_step` return for bad calls, driven by small C programs.
@Suite struct Test_StatusCodes {
  static func run(_ fixture: String, maxSteps: Int = 128, driver: String) throws -> ProcessResult {
    let entry = try #require(try Repository.manifest().first { $0.fixture == fixture + ".fixture.json" })
    let model = try KerasFixture.model(entry.model)
    return try GeneratedProgram.run(
      model, testCases: [], options: CGenerationOptions(name: "net", maxSteps: maxSteps),
      flags: ["-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"],
      extraFiles: [GeneratedFile(name: "driver.c", contents: driver)])
  }

  @Test func aSequenceLongerThanMaxStepsIsRefused() throws {
    // k2_bidi_pair_a: input [batch, 10, 3], Bidirectional layers, so the model buffers.
    let result = try Self.run(
      "k2_bidi_pair_a", maxSteps: 8,
      driver: """
        #include <stdio.h>
        #include "net.h"
        static net_state_t state;
        static float input[9 * NET_INPUT_SIZE];
        static float out[9 * 64];
        int main(void)
        {
            int failures = 0;
            if (NET_MAX_STEPS != 8 || NET_CAN_STREAM != 0) { printf("macros\\n"); ++failures; }
            if (net_predict(&state, input, 9, out) != NET_STATUS_TOO_MANY_STEPS) { printf("9 steps\\n"); ++failures; }
            if (net_predict(&state, input, 8, out) != NET_STATUS_OK) { printf("8 steps\\n"); ++failures; }
            if (net_predict(&state, input, 0, out) != NET_STATUS_BAD_ARGUMENT) { printf("0 steps\\n"); ++failures; }
            if (net_predict(NULL, input, 1, out) != NET_STATUS_BAD_ARGUMENT) { printf("NULL state\\n"); ++failures; }
            if (net_predict(&state, NULL, 1, out) != NET_STATUS_BAD_ARGUMENT) { printf("NULL input\\n"); ++failures; }
            if (net_predict(&state, input, 1, NULL) != NET_STATUS_BAD_ARGUMENT) { printf("NULL output\\n"); ++failures; }
            return failures;
        }

        """)
    #expect(result.status == 0, "\(result.output)\(result.error)")
  }

  @Test func badIndicesAndLongStreams() throws {
    // k2_embedding_mask: int32 indices into an Embedding, streams; predict has no length limit.
    let result = try Self.run(
      "k2_embedding_mask",
      driver: """
        #include <stdio.h>
        #include "net.h"
        static net_state_t state;
        static int32_t input[5000];
        static float out[64];
        int main(void)
        {
            int failures = 0;
            int32_t bad = -1;
            if (NET_INPUT_IS_INDEX != 1 || NET_CAN_STREAM != 1 || NET_MAX_STEPS != 0) { printf("macros\\n"); ++failures; }
            for (int i = 0; i < 5000; ++i) { input[i] = i % 7; }
            if (net_predict(&state, input, 5000, out) != NET_STATUS_OK) { printf("long\\n"); ++failures; }
            input[17] = 1000000;
            if (net_predict(&state, input, 5000, out) != NET_STATUS_BAD_INDEX) { printf("too big\\n"); ++failures; }
            input[17] = -3;
            if (net_predict(&state, input, 20, out) != NET_STATUS_BAD_INDEX) { printf("negative\\n"); ++failures; }
            net_reset(&state);
            if (net_step(&state, &bad, out) != NET_STATUS_BAD_INDEX) { printf("step\\n"); ++failures; }
            if (net_step(&state, NULL, out) != NET_STATUS_BAD_ARGUMENT) { printf("step NULL\\n"); ++failures; }
            net_reset(NULL);
            return failures;
        }

        """)
    #expect(result.status == 0, "\(result.output)\(result.error)")
  }

  @Test func aFailingTestProgramExitsOne() throws {
    // The test program must be able to fail: expected values off by 1e-3 fail a 1e-5 tolerance.
    let model = try KerasFixture.model("k2_basic.h5")
    var testCase = try KerasFixture.testCase("k2_basic.fixture.json", for: model)
    testCase.expected[0].data[3] += 1e-3
    let result = try GeneratedProgram.run(model, testCases: [testCase])
    #expect(result.status == 1)
    #expect(result.output.contains("output dense max_abs"))
    #expect(result.output.contains("worst 3 FAIL"))
    #expect(result.output.contains("result FAIL"))
  }
}
