import ArchiveFixture
import Common
import Foundation
import Testing

/// The whole pipeline, `make all` with the release binaries, against a loopback mirror of
/// a generated archive. Serialized: each test runs make in its own workspace, and the
/// timings of the crash tests should not depend on other tests' load.
@Suite("End to end", .serialized)
struct EndToEndTests {
    let archive = TestArchive.standard

    /// `make all` for `archive` served by `server` in `workspace`.
    func makeAll(_ workspace: Workspace, _ server: ArchiveServer, archive: TestArchive? = nil, extra: [String] = []) async throws -> ProcessResult {
        try await workspace.make(archive: archive ?? self.archive, baseURL: server.baseURL, extra: extra)
    }

    /// The outputs of a run of `archive` with nothing going wrong.
    func cleanOutputs(_ archive: TestArchive) async throws -> Outputs {
        try await CleanRuns.shared.outputs(archive) { workspace in
            try await ArchiveServer.with(files: archive.served) { server in
                try await workspace.make(archive: archive, baseURL: server.baseURL)
            }
        }
    }

    @Test("make all writes the series, events, prices and rows the spec defines")
    func wholePipelineMatchesTheReference() async throws {
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            let result = try await makeAll(workspace, server)
            try #require(result.succeeded, "\(result)")
            for symbol in archive.symbols {
                try Expectations.seriesMatchReference(workspace, archive, symbol)
                try Expectations.eventsMatchReference(workspace, archive, symbol)
                try Expectations.pricesMatchKlines(workspace, archive, symbol)
            }
            try Expectations.databaseHoldsThePrices(workspace, archive)
            #expect(workspace.leftoverTemporaryFiles().isEmpty)
        }
    }

    @Test("over four months, every dimension has events of every window (7, 30 and 90 days), as the slow rule gives them")
    func everyDimensionAndWindow() async throws {
        let long = TestArchive.fourMonths
        try await ArchiveServer.with(files: long.served) { server in
            let workspace = try Workspace()
            let result = try await workspace.make(["detect"], archive: long, baseURL: server.baseURL)
            try #require(result.succeeded, "\(result)")
            for symbol in long.symbols {
                try Expectations.eventsMatchReference(workspace, long, symbol, nonEmpty: [7, 30, 90])
            }
        }
    }
}

extension EndToEndTests {
    @Test("QUIET=1: no command echoed and no progress; one summary line per stage run, and the warnings")
    func quietKeepsTheSummaries() async throws {
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            let result = try await makeAll(workspace, server)   // the workspace's make has QUIET=1
            try #require(result.succeeded, "\(result)")
            let lines = result.output.split(separator: "\n").map(String.init).filter { !$0.contains(": warning: ") }
            let stages = lines.map { String($0.prefix { $0 != ":" }) }
            let months = ArchiveRange(end: archive.end, days: archive.days).months.count, symbols = archive.symbols.count
            #expect(stages.count(where: { $0 == "stage-download" }) == symbols, "\(result.output)")
            #expect(stages.count(where: { $0 == "stage-flow" }) == symbols * (months + 1), "a line per month part and per join")
            for stage in ["stage-detect", "stage-prices"] { #expect(stages.count(where: { $0 == stage }) == symbols, "\(stage)") }
            for stage in ["stage-load", "stage-report"] { #expect(stages.count(where: { $0 == stage }) == 1, "\(stage)") }
            #expect(stages.count == symbols * (months + 4) + 2, "nothing else: \(lines)")
            #expect(lines.contains { $0.hasPrefix("stage-load: \(workspace.db) (created): \(symbols) symbols: ") && $0.hasSuffix(" retired") })
        }
    }
}
