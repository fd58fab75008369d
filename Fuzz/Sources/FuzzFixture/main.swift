import FixtureFormat
import Foundation

/// Fixture JSON bytes (`lstmc-fixture-1`), as `lstmc run --input` and `verify --fixture` read them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFixture(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  _ = try? Fixture(data: Data(bytes: start, count: count), url: URL(fileURLWithPath: "/fuzz/fuzz.fixture.json"))
  return 0
}
