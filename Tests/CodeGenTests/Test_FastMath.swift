import CanonicalModel
import CodeGen
import Foundation
import Testing

/// The fast sigmoid and tanh, measured in C over a dense grid against double-precision libm.
@Suite struct Test_FastMath {
  /// A model that applies one activation to a sequence of single values.
  static func model(_ activation: Activation) -> Model {
    ModelBuilder.model(
      features: 1, layers: [Layer(name: "act", kind: .activation(activation))],
      outputs: [ModelOutput(name: "y", layer: 0)])
  }

  /// Steps each model over [-20, 20] in steps of 2^-14 (655,361 points) plus tiny values around 0 and
  /// prints the largest absolute error, the largest relative error (where the reference is a normal
  /// float) and where they occur.
  static let driver = GeneratedFile(
    name: "measure.c",
    contents: """
      #include <float.h>
      #include <math.h>
      #include <stdio.h>
      #include "fast_tanh.h"
      #include "fast_sigmoid.h"

      static fast_tanh_state_t tanh_state;
      static fast_sigmoid_state_t sigmoid_state;

      static void measure(const char *name, int is_tanh)
      {
          double max_abs = 0.0, max_rel = 0.0, at_abs = 0.0, at_rel = 0.0;
          for (long i = -327680 - 1000; i <= 327680 + 1000; ++i) {
              const float x = i < -327680 ? (float)(i + 327680) * 1.0e-30f
                            : i > 327680 ? (float)(i - 327680) * 1.0e-7f
                            : (float)i / 16384.0f;
              const double xd = (double)x;
              float y = 0.0f;
              double reference;
              if (is_tanh) {
                  fast_tanh_reset(&tanh_state);
                  (void)fast_tanh_step(&tanh_state, &x, &y);
                  reference = tanh(xd);
              } else {
                  fast_sigmoid_reset(&sigmoid_state);
                  (void)fast_sigmoid_step(&sigmoid_state, &x, &y);
                  reference = 1.0 / (1.0 + exp(-xd));
              }
              const double error = fabs((double)y - reference);
              if (error > max_abs) { max_abs = error; at_abs = xd; }
              if (fabs(reference) >= (double)FLT_MIN && error / fabs(reference) > max_rel) {
                  max_rel = error / fabs(reference);
                  at_rel = xd;
              }
          }
          printf("%s max_abs %.9g at %.9g max_rel %.9g at %.9g\\n", name, max_abs, at_abs, max_rel, at_rel);
      }

      int main(void)
      {
          measure("tanh", 1);
          measure("sigmoid", 0);
          return 0;
      }

      """)

  @Test func fastSigmoidAndTanhAreAccurate() throws {
    let folder = try TemporaryFolder()
    for (name, activation) in [("fast_tanh", Activation.tanh), ("fast_sigmoid", .sigmoid)] {
      try folder.write(
        try CCodeGenerator.generate(
          Self.model(activation), testCases: [], options: CGenerationOptions(name: name, math: .fast)))
    }
    try folder.write([Self.driver])
    let compiled = try Host.run(
      "cc", ["-std=c99", "-O2", "fast_tanh.c", "fast_sigmoid.c", "measure.c", "-o", "measure", "-lm"], in: folder.url)
    try #require(compiled.status == 0, "\(compiled.error)")
    let result = try Host.run(folder.url.appendingPathComponent("measure").path, [], in: folder.url)
    try #require(result.status == 0)
    print(result.output, terminator: "")
    var errors: [String: (abs: Double, rel: Double)] = [:]
    for line in result.output.split(separator: "\n") {
      let fields = line.split(separator: " ").map(String.init)
      guard fields.count == 9, let abs = Double(fields[2]), let rel = Double(fields[6]) else { continue }
      errors[fields[0]] = (abs, rel)
    }
    let tanh = try #require(errors["tanh"])
    let sigmoid = try #require(errors["sigmoid"])
    // The numbers documented in templates/README.md.
    #expect(tanh.abs < 4e-7)
    #expect(tanh.rel < 4e-7)
    #expect(sigmoid.abs < 1.5e-7)
    #expect(sigmoid.rel < 4e-7)
  }

  @Test func fastMathNeedsNoLibmForSigmoidAndTanh() throws {
    // A standard LSTM in fast mode links without -lm: sigmoid and tanh call nothing from libm.
    var builder = ModelBuilder(seed: 7)
    let model = ModelBuilder.model(
      features: 3,
      layers: [Layer(name: "lstm", kind: .lstm(builder.lstm(input: 3, hidden: 4, returnSequences: false)))],
      outputs: [ModelOutput(name: "h", layer: 0)])
    let folder = try TemporaryFolder()
    try folder.write(try CCodeGenerator.generate(model, testCases: [], options: CGenerationOptions(math: .fast)))
    try folder.write([
      GeneratedFile(
        name: "main.c",
        contents: """
          #include "model.h"
          static model_state_t state;
          int main(void) { const float x[6] = {1, 2, 3, 4, 5, 6}; float h[4]; return model_predict(&state, x, 2, h); }

          """)
    ])
    let compiled = try Host.run(
      "cc", Host.strictFlags + ["-O1", "-fno-builtin", "model.c", "main.c", "-o", "program"], in: folder.url)
    #expect(compiled.status == 0, "\(compiled.error)")
  }

  @Test func exactMathMatchesTheInterpreterFormulas() throws {
    // Exact mode calls expf and tanhf: the generated code links against libm.
    let files = try CCodeGenerator.generate(
      Self.model(.sigmoid), testCases: [], options: CGenerationOptions(name: "exact"))
    let source = try #require(files.first { $0.name == "exact.c" }).contents
    #expect(source.contains("expf(-x)"))
    #expect(!source.contains("exact_exp("))
  }
}
