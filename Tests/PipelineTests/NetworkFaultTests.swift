import ArchiveFixture
import Common
import Foundation
import Testing

/// Cases 1–3 of the fault list: the network misbehaves, the run recovers by itself
/// or on the next run, and the results are those of a clean run.
extension EndToEndTests {
    @Test("HTTP 500 twice and 429 with Retry-After are retried, and the run ends as a clean one")
    func serverErrorsAreRetried() async throws {
        let expected = try await cleanOutputs(archive)
        let trades = TestArchive.path(archive.file("BTCUSDT", .aggTrades, "2024-01"))
        let metrics = TestArchive.path(archive.file("ETHUSDT", .metrics, "2024-02-03"))
        try await ArchiveServer.with(files: archive.served) { server in
            server.inject(.status(500), at: trades, times: 2)
            server.inject(.status(429, headers: [.init("Retry-After", "1")]), at: metrics)
            let workspace = try Workspace()
            let result = try await makeAll(workspace, server)
            try #require(result.succeeded, "\(result)")
            #expect(server.requests(at: trades) == 3)
            #expect(server.requests(at: metrics) == 2)
            #expect(try Outputs.of(workspace) == expected)
        }
    }

    @Test("A connection reset mid-file and a stalled body are retried (TIMEOUT), and the run ends as a clean one")
    func brokenConnectionsAreRetried() async throws {
        let expected = try await cleanOutputs(archive)
        let reset = TestArchive.path(archive.file("BTCUSDT", .aggTrades, "2024-02-05"))
        let stalled = TestArchive.path(archive.file("ETHUSDT", .klines, "2024-01"))
        try await ArchiveServer.with(files: archive.served) { server in
            server.inject(.close(afterBytes: 200), at: reset)
            server.inject(.stall(afterBytes: 200), at: stalled)
            let workspace = try Workspace()
            let result = try await makeAll(workspace, server, extra: ["TIMEOUT=1"])
            try #require(result.succeeded, "\(result)")
            #expect(server.requests(at: reset) == 2)
            #expect(server.requests(at: stalled) == 2)
            #expect(try Outputs.of(workspace) == expected)
        }
    }

    @Test("A day not published is reported and the rest goes on; once published, a rerun picks it up and redoes only its month")
    func unpublishedDayIsPickedUpLater() async throws {
        let expected = try await cleanOutputs(archive)
        let late = archive.file("ETHUSDT", .aggTrades, "2024-02-05")
        try await ArchiveServer.with(files: archive.served(without: late)) { server in
            let workspace = try Workspace()
            let first = try await makeAll(workspace, server)
            try #require(first.succeeded, "\(first)")
            let symbol = try Symbol("ETHUSDT")
            #expect(try workspace.text(workspace.layout.missingList(symbol)).contains(late.path))
            let flow = try Expectations.series(workspace.layout.series(symbol, "flow_1h"))
            #expect(!flow.contains { Day(containing: $0.time) == Day("2024-02-05")! }, "no flow for a day without trades file")
            #expect(flow.contains { Day(containing: $0.time) == Day("2024-02-06")! })
            let january = workspace.layout.monthPart(symbol, Month("2024-01")!)
            let januaryTime = try FileManager.default.attributesOfItem(atPath: january)[.modificationDate] as? Date

            server.publish(late, zip: archive.served[TestArchive.path(late)]!)
            let second = try await makeAll(workspace, server)
            try #require(second.succeeded, "\(second)")
            #expect(try Outputs.of(workspace) == expected)
            #expect(!(try workspace.text(workspace.layout.missingList(symbol)).contains(late.path)))
            #expect(try FileManager.default.attributesOfItem(atPath: january)[.modificationDate] as? Date == januaryTime,
                    "January's part is not recomputed for a February day")
        }
    }
}
