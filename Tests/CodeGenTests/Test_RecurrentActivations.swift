import CanonicalModel
import CodeGen
import Foundation
import Testing

/// The vectorizable sigmoid and tanh that LSTM cells use (`name_vsigmoid_N`, `name_vtanh_N`), in
/// both math modes, measured in C over a dense grid against double-precision libm, next to glibc's
/// own `expf`/`tanhf` measured the same way.
@Suite struct Test_RecurrentActivations {
  /// An LSTM with `hidden` units: its source defines `name_vsigmoid_<hidden>` and `name_vtanh_<hidden>`.
  static func model(hidden: Int = 4) -> Model {
    var builder = ModelBuilder(seed: 5)
    return ModelBuilder.model(
      features: 3,
      layers: [Layer(name: "lstm", kind: .lstm(builder.lstm(input: 3, hidden: hidden, returnSequences: false)))],
      outputs: [ModelOutput(name: "h", layer: 0)])
  }

  /// Includes the generated source (its functions are static) and prints, per function, the
  /// largest absolute error and the largest relative error where the reference is a normal float,
  /// over [-20, 20] in steps of 2^-14 plus tiny values around 0, NaN kept as NaN (1/0).
  static func driver(name: String) -> GeneratedFile {
    GeneratedFile(
      name: "measure.c",
      contents: """
        #include <float.h>
        #include <math.h>
        #include <stdio.h>
        #include "\(name).c"
        static float grid(long i)
        {
            return i < -327680 ? (float)(i + 327680) * 1.0e-30f
                 : i > 327680 ? (float)(i - 327680) * 1.0e-7f
                 : (float)i / 16384.0f;
        }
        static void measure(const char *label, int kind)
        {
            double max_abs = 0.0, max_rel = 0.0;
            for (long i = -327680 - 1000; i <= 327680 + 1000; i += 4) {
                float v[4], scratch[4];
                for (int k = 0; k < 4; ++k) v[k] = grid(i + k);
                if (kind == 0) \(name)_vtanh_4(v, scratch);
                else if (kind == 1) \(name)_vsigmoid_4(v, scratch);
                else if (kind == 2) for (int k = 0; k < 4; ++k) v[k] = tanhf(grid(i + k));
                else for (int k = 0; k < 4; ++k) v[k] = 1.0f / (1.0f + expf(-grid(i + k)));
                for (int k = 0; k < 4; ++k) {
                    const double x = (double)grid(i + k);
                    const double reference = (kind % 2 == 0) ? tanh(x) : 1.0 / (1.0 + exp(-x));
                    const double error = fabs((double)v[k] - reference);
                    if (error > max_abs) max_abs = error;
                    if (fabs(reference) >= (double)FLT_MIN && error / fabs(reference) > max_rel) {
                        max_rel = error / fabs(reference);
                    }
                }
            }
            {
                float v[4] = {NAN, 1.0f, -1.0f, NAN}, scratch[4];
                float w[4] = {NAN, 1.0f, -1.0f, NAN};
                \(name)_vtanh_4(v, scratch);
                \(name)_vsigmoid_4(w, scratch);
                printf("%s %.9g %.9g %d\\n", label, max_abs, max_rel, isnan(v[0]) && isnan(v[3]) && isnan(w[0]) && isnan(w[3]));
            }
        }
        int main(void)
        {
            measure("tanh", 0);
            measure("sigmoid", 1);
            measure("libm_tanh", 2);
            measure("libm_sigmoid", 3);
            return 0;
        }
        """)
  }

  static func measure(_ math: MathMode) throws -> [String: (abs: Double, rel: Double, keepsNaN: Bool)] {
    let folder = try TemporaryFolder()
    let name = "m_\(math.rawValue)"
    try folder.write(
      try CCodeGenerator.generate(Self.model(), testCases: [], options: CGenerationOptions(name: name, math: math)))
    try folder.write([Self.driver(name: name)])
    // -Wno-unused-function: the driver uses the model's helpers, not its API.
    let compiled = try Host.run(
      "cc", ["-std=c99", "-O2", "-Wno-unused-function", "measure.c", "-o", "measure", "-lm"], in: folder.url)
    try #require(compiled.status == 0, "\(compiled.error)")
    let result = try Host.run(folder.url.appendingPathComponent("measure").path, [], in: folder.url)
    try #require(result.status == 0)
    print(math.rawValue, result.output, terminator: "")
    var errors: [String: (abs: Double, rel: Double, keepsNaN: Bool)] = [:]
    for line in result.output.split(separator: "\n") {
      let fields = line.split(separator: " ").map(String.init)
      guard fields.count == 4, let abs = Double(fields[1]), let rel = Double(fields[2]) else { continue }
      errors[fields[0]] = (abs, rel, fields[3] == "1")
    }
    return errors
  }

  @Test func exactModeIsAsAccurateAsLibm() throws {
    let errors = try Self.measure(.exact)
    let tanh = try #require(errors["tanh"])
    let sigmoid = try #require(errors["sigmoid"])
    let libmTanh = try #require(errors["libm_tanh"])
    let libmSigmoid = try #require(errors["libm_sigmoid"])
    // The numbers documented in templates/README.md; glibc's are printed beside them.
    #expect(tanh.abs < 1.2e-7 && tanh.rel < 2e-7)
    #expect(sigmoid.abs < 1.2e-7 && sigmoid.rel < 2e-7)
    #expect(tanh.rel <= libmTanh.rel * 1.5 && sigmoid.rel <= libmSigmoid.rel * 1.5)
    #expect(tanh.keepsNaN && sigmoid.keepsNaN)
  }

  @Test func fastModeIsWithinItsDocumentedError() throws {
    let errors = try Self.measure(.fast)
    let tanh = try #require(errors["tanh"])
    let sigmoid = try #require(errors["sigmoid"])
    #expect(tanh.abs < 4e-7 && tanh.rel < 4e-7)
    #expect(sigmoid.abs < 1.5e-7 && sigmoid.rel < 4e-7)
    #expect(tanh.keepsNaN && sigmoid.keepsNaN)
  }

  @Test func bothModesVectorizeTheCellAtO2() throws {
    // gcc's -fopt-info names every loop it could not vectorize; in the activation helpers there
    // must be none (they are the passes written for the vectorizer).
    for math in [MathMode.exact, .fast] {
      let folder = try TemporaryFolder()
      try folder.write(
        try CCodeGenerator.generate(
          Self.model(hidden: 32), testCases: [], options: CGenerationOptions(name: "m", math: math)))
      let result = try Host.run(
        "gcc", ["-std=c99", "-O2", "-fopt-info-vec-all", "-c", "m.c", "-o", "m.o"], in: folder.url)
      try #require(result.status == 0, "\(result.error)")
      let source = try String(contentsOf: folder.url.appendingPathComponent("m.c"), encoding: .utf8)
      let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
      guard let first = lines.firstIndex(where: { $0.contains("m_vsigmoid_32(float") }),
        // The helpers end where the gate-product kernel (host layout) or the first cell begins.
        let end = lines[first...].firstIndex(where: {
          $0.contains("static void m_rows(") || $0.contains("static void m_l0_fwd_cell")
        })
      else {
        Issue.record("no vector helpers in the \(math) source")
        continue
      }
      let helperLines = (first + 1)...(end + 1)
      let missed = result.error.split(separator: "\n").filter { line in
        guard line.contains("couldn't vectorize loop"), let number = Int(line.split(separator: ":")[1]) else {
          return false
        }
        return helperLines.contains(number)
      }
      #expect(missed.isEmpty, "\(math): \(missed)")
      #expect(result.error.contains("loop vectorized"), "\(math)")
    }
  }
}
