// swift-tools-version:5.3
// libFuzzer targets for lstmc's parsers, one per input format. Build and run them with
// `scripts/fuzz.sh TARGET [SECONDS]` (see README "Reliability"). Each target is a plain `.target`
// holding `main.swift` with `LLVMFuzzerTestOneInput`: built with `-sanitize=fuzzer,address
// -parse-as-library`, libFuzzer supplies `main` (an `.executableTarget` fails to link that way).
import PackageDescription

let package = Package(
  name: "lstmc-fuzz",
  dependencies: [
    .package(name: "lstmc", path: ".."),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
  ],
  targets: [
    .target(name: "FuzzONNX", dependencies: [.product(name: "ONNXImport", package: "lstmc")]),
    .target(name: "FuzzSafetensors", dependencies: [.product(name: "CanonicalModel", package: "lstmc")]),
    .target(name: "FuzzFixture", dependencies: [.product(name: "FixtureFormat", package: "lstmc")]),
    .target(name: "FuzzNumPy", dependencies: [.product(name: "FixtureFormat", package: "lstmc")]),
    .target(name: "FuzzKerasConfig", dependencies: [.product(name: "KerasImport", package: "lstmc")]),
    .target(
      name: "FuzzKerasArchive",
      dependencies: [.product(name: "KerasImport", package: "lstmc"), "ZIPFoundation"]),
  ]
)
