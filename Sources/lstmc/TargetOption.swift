import ArgumentParser
import Targets
import Verification

/// A `--target` value: one verification target, or `all`.
enum TargetOption: Equatable, ExpressibleByArgument {
  case one(VerificationTarget)
  case all

  init?(argument: String) {
    if argument == "all" {
      self = .all
    } else if let target = VerificationTarget(rawValue: argument) {
      self = .one(target)
    } else {
      return nil
    }
  }

  static var allValueStrings: [String] { VerificationTarget.allCases.map(\.rawValue) + ["all"] }

  /// Expands a list of options into distinct targets, in the order given.
  /// `all` means every target this build of lstmc can run.
  static func expand(_ options: [TargetOption]) -> [VerificationTarget] {
    var targets: [VerificationTarget] = []
    for option in options {
      let expanded: [VerificationTarget]
      switch option {
      case .one(let target): expanded = [target]
      case .all: expanded = VerificationTarget.available
      }
      for target in expanded where !targets.contains(target) { targets.append(target) }
    }
    return targets
  }
}
