import ArchiveFixture
import Common
import Foundation
import Testing

/// SPEC "Daily runs converge", when a morning fails: the archive's server dies in the
/// middle of a daily run (BTCUSDT done, ETHUSDT's new day streaming), so that run fails
/// partway; the next morning's run, on the same CACHE and DB, must end as a clean run:
/// its files byte for byte, the table's rows over [range start + window_days, END) as a
/// set. DAYS=120, so that 90-day rows are in that zone; between the two mornings the
/// range start moves (2023-10-01 to 11-01) and ETHUSDT's re-published metrics of
/// 2024-02-20 (LivingArchive) retire the events of the wrong open interest, every window's.
@Suite("A morning that fails partway", .serialized)
struct FailedMorningTests {
    let living = LivingArchive.long
    static let days = 120
    /// A morning as usual, the morning the server dies (the re-published metrics are
    /// out: REFRESH=1), and the next (REFRESH=1 again: yesterday's refresh did not finish).
    static let (before, failing, after) = (Day("2024-02-28")!, Day("2024-02-29")!, Day("2024-03-01")!)

    @Test("the server dies mid-morning (DAYS=120): that run fails; the next morning ends with a clean run's files and zone rows, 90-day rows included")
    func nextMorningRecovers() async throws {
        let daily = try Workspace()
        let eth = try Symbol("ETHUSDT")
        let wrong = { (rows: [Rows]) in
            rows.filter { $0.symbol == "ETH" && $0.dimension == "oi_change_1h" && $0.triggeredAt == LivingArchive.wrongHour }.map(\.windowDays).sorted()
        }

        try await ArchiveServer.with(files: living.served(on: Self.before)) { server in
            let run = try await daily.makeMorning(living, Self.before, days: Self.days, server)
            try #require(run.succeeded, "\(Self.before): \(run)")
        }
        let loaded = try Rows.read(daily.db)
        #expect(wrong(loaded) == [7, 30, 90], "\(Self.before): the wrong open interest is an event of every window")

        // ETHUSDT's new day stalls once its head is sent; then the server goes away
        let btcPrices = daily.layout.prices(try Symbol("BTCUSDT"))
        let btcPricesBefore = try FileSystem.readFile(btcPrices)
        let stalled = ArchiveFile(symbol: eth, dataset: .aggTrades, period: .day(Self.failing.adding(days: -1)))
        try await ArchiveServer.with(files: living.served(on: Self.failing)) { server in
            server.inject(.stall(afterBytes: 0), at: TestArchive.path(stalled), times: .max)
            let run = try Run.start("/usr/bin/env", ["make"] + daily.morningArguments(living, Self.failing, days: Self.days,
                                                                                     baseURL: server.baseURL, extra: ["REFRESH=1"]))
            let deadline = ContinuousClock.now + .seconds(120)
            while server.requests(at: TestArchive.path(stalled)) == 0 && run.isRunning && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(server.requests(at: TestArchive.path(stalled)) > 0, "the run reached ETHUSDT's new day")
            await server.stop()
            let result = await run.wait()
            #expect(!result.succeeded, "the run fails when its archive dies: \(result)")
            #expect(result.output.contains("stage-download: error:"), "\(result)")
            #expect(try FileSystem.readFile(btcPrices) != btcPricesBefore, "BTCUSDT's part of the morning was done: partway")
        }
        #expect(try Rows.read(daily.db) == loaded, "the failed morning loaded nothing")

        try await ArchiveServer.with(files: living.served(on: Self.after)) { server in
            let run = try await daily.makeMorning(living, Self.after, days: Self.days, server, extra: ["REFRESH=1"])
            try #require(run.succeeded, "\(Self.after): \(run)")
            let clean = try Workspace()
            let cleanRun = try await clean.makeMorning(living, Self.after, days: Self.days, server)
            try #require(cleanRun.succeeded, "\(Self.after), clean: \(cleanRun)")

            let differences = try DailyRunTests.files(daily).differences(from: try DailyRunTests.files(clean))
            #expect(differences.isEmpty, "files differ from a clean run's: \(differences)")

            let range = ArchiveRange(end: Self.after, days: Self.days)
            #expect(range.start == Month("2023-11")!.firstDay, "the range start moved")
            let cleanRows = try Rows.read(clean.db), dailyRows = try Rows.read(daily.db)
            #expect(cleanRows.allSatisfy { Rows.inZone($0, range) }, "a clean run loads only rows of its zone")
            #expect(cleanRows.contains { $0.windowDays == 90 }, "the zone holds 90-day rows")
            let zone = dailyRows.filter { Rows.inZone($0, range) }
            #expect(Set(zone) == Set(cleanRows) && zone.count == cleanRows.count,
                    "rows over the zone differ from a clean run's: \(Set(zone).symmetricDifference(cleanRows).count)")
            #expect(wrong(dailyRows).isEmpty, "the wrong open interest's events are retired, the 90-day one too")
            #expect(dailyRows.contains { !Rows.inZone($0, range) }, "rows before the zone stay as history")
        }
    }
}
