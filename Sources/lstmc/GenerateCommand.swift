import ArgumentParser
import Foundation

/// `lstmc generate <language> ...`: the code generators.
struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract: "Generate dependency-free code for a model.",
    subcommands: [GenerateCCommand.self, GenerateSwiftCommand.self]
  )

  /// `lstmc generate` without a language is a usage error: print help to stderr, exit 64.
  func run() throws {
    FileHandle.standardError.write(Data((LSTMC.helpMessage(for: Self.self) + "\n").utf8))
    throw ExitCode.validationFailure
  }
}
