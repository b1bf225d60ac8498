import ArchiveFixture
import Common
import Foundation
import Testing

/// tools/reference_flow.py: a second, independent reference for the series (Python's
/// own float parsing and zipfile, nothing shared with the Swift code), run on the
/// output of `make all` when python3 is installed; skipped, saying so, when it is not
/// (with CI=true: a failure naming python3).
extension EndToEndTests {
    static let python3 = Requirement.tool("python3")

    @Test("tools/reference_flow.py finds every series equal to its reference, bit for bit", .requires(python3))
    func pythonReference() async throws {
        let python3 = try Self.python3.path()
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            try #require(try await workspace.make(["flow"], archive: archive, baseURL: server.baseURL).succeeded)
            for symbol in archive.symbols {
                let check = try await Run.process(python3, [Repository.root + "/tools/reference_flow.py", workspace.cache,
                                                                  symbol.full, "\(archive.end)", "\(archive.days)"])
                #expect(check.succeeded, "\(symbol): \(check)")
                #expect(check.output.contains("flow_1h:") && check.output.contains("equal to the reference bit for bit"))
            }
        }
    }
}
