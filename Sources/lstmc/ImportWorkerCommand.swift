import ArgumentParser
import CanonicalModel
import Foundation
import KerasImport

/// `lstmc _import MODEL`: the isolated half of Keras import (not for users).
///
/// libhdf5 1.10 can crash or loop forever on a deliberately corrupted file
/// (inside `H5Aread`'s variable-length string conversion), where no API lets a
/// caller avoid it. So ``ModelLoader`` parses Keras files in this child process:
/// it writes the canonical model as safetensors to stdout, or one error line to
/// stderr and exits 2; the parent turns a crash or a hang into an ordinary
/// bad-input error. ``ImportCrashReporter`` tells the parent whether a crash was
/// inside libhdf5 or in lstmc's own code. `LSTMC_IMPORT_TEST_TRAP=1` makes the
/// child trap in its own code before reading anything (for lstmc's tests).
struct ImportWorkerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "_import", abstract: "Import a Keras model and write it as safetensors to stdout.",
    shouldDisplay: false)

  @Argument var model: String

  func run() throws {
    ImportCrashReporter.install()
    if ProcessInfo.processInfo.environment["LSTMC_IMPORT_TEST_TRAP"] == "1" {
      fatalError("LSTMC_IMPORT_TEST_TRAP: a trap in lstmc's own code")
    }
    do {
      let data = try ModelArchive.encode(try KerasImporter.importModel(at: URL(fileURLWithPath: model)))
      FileHandle.standardOutput.write(data)
    } catch {
      FileHandle.standardError.write(Data((CLIError(file: model, error: error).message + "\n").utf8))
      throw ExitCode(2)
    }
  }
}
