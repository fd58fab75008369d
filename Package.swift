// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "lstmc",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "lstmc", targets: ["lstmc"]),
    .library(name: "CanonicalModel", targets: ["CanonicalModel"]),
    .library(name: "KerasImport", targets: ["KerasImport"]),
    .library(name: "Interpreter", targets: ["Interpreter"]),
    .library(name: "Verification", targets: ["Verification"]),
    .library(name: "CodeGen", targets: ["CodeGen"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    .package(url: "https://github.com/stencilproject/Stencil", from: "0.15.1"),
  ],
  targets: [
    .systemLibrary(
      name: "CHDF5",
      pkgConfig: "hdf5",
      providers: [.apt(["libhdf5-dev"])]
    ),
    .target(name: "CanonicalModel"),
    .target(
      name: "KerasImport",
      dependencies: [
        "CanonicalModel", "CHDF5",
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]
    ),
    .target(name: "Interpreter", dependencies: ["CanonicalModel"]),
    // templates/ is a target of its own so SwiftPM bundles it as resources.
    .target(
      name: "Templates",
      path: "templates",
      exclude: ["README.md"],
      resources: [.copy("c")]
    ),
    .target(
      name: "CodeGen",
      dependencies: ["CanonicalModel", "Templates", .product(name: "Stencil", package: "Stencil")]
    ),
    .target(name: "Verification", dependencies: ["CanonicalModel", "Interpreter", "CodeGen"]),
    .executableTarget(
      name: "lstmc",
      dependencies: [
        "CanonicalModel", "KerasImport", "Interpreter", "Verification", "CodeGen",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "CanonicalModelTests", dependencies: ["CanonicalModel"]),
    .testTarget(name: "KerasImportTests", dependencies: ["KerasImport", "CanonicalModel"]),
    .testTarget(name: "InterpreterTests", dependencies: ["Interpreter", "CanonicalModel"]),
    .testTarget(name: "CodeGenTests", dependencies: ["CodeGen", "CanonicalModel", "KerasImport"]),
    .testTarget(
      name: "VerificationTests",
      dependencies: ["Verification", "KerasImport", "Interpreter", "CanonicalModel"]
    ),
    .testTarget(name: "lstmcTests", dependencies: ["lstmc"]),
  ]
)
