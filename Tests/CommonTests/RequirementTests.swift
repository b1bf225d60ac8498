import Testing
import TestSupport

/// The rule every test with a requirement follows (`.requires`): met, it runs; missing,
/// it is skipped, saying what is missing, except with CI=true, where it fails naming it.
@Suite("a test's requirements")
struct RequirementTests {
    let missing = Requirement.tool("backfill-no-such-tool", hint: "nothing installs it")

    @Test("a missing tool skips the test outside CI")
    func skipsOutsideCI() throws {
        #expect(!missing.isMet)
        #expect(try missing.check(inCI: false) == false)
    }

    @Test("a missing tool fails the test under CI=true, naming the tool and how to get it")
    func failsInCI() {
        #expect {
            try missing.check(inCI: true)
        } throws: { error in
            "\(error)".hasPrefix("backfill-no-such-tool is missing (nothing installs it)")
        }
        #expect(throws: Requirement.Missing.self) { try missing.path() }
    }

    @Test("a tool on PATH is met, and its path is given")
    func toolOnPath() throws {
        let sh = Requirement.tool("sh")
        #expect(try sh.check(inCI: true))
        #expect(try sh.path().hasSuffix("/sh"))
    }
}
