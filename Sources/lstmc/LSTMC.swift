import ArgumentParser
import CanonicalModel
import Foundation

/// The `lstmc` root command: lists the subcommands.
@main
struct LSTMC: ParsableCommand {
  static let version = LSTMCVersion.current

  static let configuration = CommandConfiguration(
    commandName: "lstmc",
    abstract:
      "Take a trained LSTM or GRU out of Keras, PyTorch or ONNX into a canonical model, prove it computes what the "
      + "framework computed, and generate C and Swift for microcontrollers.",
    discussion: """
      Model files: Keras HDF5 (.h5, Keras 2 and 3), Keras 3 native (.keras), ONNX (.onnx, from PyTorch, tf2onnx \
      or written by hand), and lstmc's canonical .safetensors. Exit codes: 0 success, 1 verify found a numerical \
      mismatch, 2 bad input, 64 usage error.
      """,
    version: version,
    subcommands: [
      InspectCommand.self, ConvertCommand.self, RunCommand.self, VerifyCommand.self, GenerateCommand.self,
      BenchCommand.self,
      ImportWorkerCommand.self,
    ]
  )

  /// `lstmc` without a subcommand is a usage error: print help to stderr, exit 64.
  func run() throws {
    FileHandle.standardError.write(Data((Self.helpMessage() + "\n").utf8))
    throw ExitCode.validationFailure
  }
}
