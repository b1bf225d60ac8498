import Common
import GRDB
import Testing
@testable import stage_load

/// SPEC "The database": per symbol loaded, the rows over [range start + window_days,
/// END) equal a clean run's. Here END = 2024-03-01 and DAYS = 30, so the range starts
/// on 2024-01-01 (hour 0 of the fixtures): a 7-day window's rows are checked from
/// hour 168, a 30-day window's from hour 720, up to hour 1440 (END).
@Suite("retiring rows a clean run would not have")
struct RetirementTests {
    let zone = RetirementZone(range: ArchiveRange(end: Day("2024-03-01")!, days: 30))

    @Test("the zone of a window W is [range start + W days, END)")
    func zoneBounds() {
        let start: Millis = 1_704_067_200_000
        #expect(zone.hours(windowDays: 7) == (start + 168 * Time.hour)..<(start + 1440 * Time.hour))
        #expect(zone.hours(windowDays: 30) == (start + 720 * Time.hour)..<(start + 1440 * Time.hour))
        // A window longer than the range leaves nothing to check.
        #expect(zone.hours(windowDays: 90).isEmpty)
    }

    @Test("a row in the zone that the load does not reproduce is deleted and counted as retired")
    func retiresUnreproducedRow() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("m.db")
        try load([try dir.write("BTCUSDT.jsonl", [pricesLine(at: 200, prices: [1, nil, nil, nil, nil]),
                                                  pricesLine(at: 300, prices: [2, nil, nil, nil, nil])].joined(separator: "\n"))],
                 into: database, zone: zone)
        let outcome = try load([try dir.write("BTCUSDT.jsonl", pricesLine(at: 300, prices: [2, nil, nil, nil, nil]))],
                               into: database, zone: zone)
        #expect(outcome.counts.total == LoadPlan.Tally(unchanged: 1, retired: 1))
        #expect(try triggeredHours(database) == [300])
    }

    @Test("the zone's bounds: the first hour in it is retired, the hour before it and END's hour stay")
    func bounds() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("m.db")
        let rows = [167, 168, 1439, 1440].map { pricesLine(at: $0, prices: [1, nil, nil, nil, nil]) }
        try load([try dir.write("BTCUSDT.jsonl", rows.joined(separator: "\n"))], into: database, zone: zone)
        let outcome = try load([try dir.write("BTCUSDT.jsonl", "")], into: database, zone: zone)
        #expect(outcome.counts.total == LoadPlan.Tally(retired: 2, history: 2))
        #expect(try triggeredHours(database) == [167, 1440])
    }

    @Test("the zone depends on the row's window: a 30-day row at hour 500 is history, a 7-day one is retired")
    func windowSetsTheZone() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("m.db")
        try load([try dir.write("BTCUSDT.jsonl", [pricesLine(window: 7, at: 500, prices: [1, nil, nil, nil, nil]),
                                                  pricesLine(window: 30, at: 500, prices: [1, nil, nil, nil, nil])].joined(separator: "\n"))],
                 into: database, zone: zone)
        let outcome = try load([try dir.write("BTCUSDT.jsonl", "")], into: database, zone: zone)
        #expect(outcome.counts.total == LoadPlan.Tally(retired: 1, history: 1))
        let left = try DatabaseQueue(path: database).read { try Int.fetchAll($0, sql: "SELECT window_days FROM extreme_events") }
        #expect(left == [30])
    }

    @Test("rows of a symbol not in the load stay, whatever their hour")
    func otherSymbolsStay() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("m.db")
        try load([try dir.write("ETHUSDT.jsonl", pricesLine("ETH", at: 300, prices: [1, nil, nil, nil, nil]))], into: database, zone: zone)
        let outcome = try load([try dir.write("BTCUSDT.jsonl", "")], into: database, zone: zone)
        #expect(outcome.counts.total == LoadPlan.Tally())
        #expect(try triggeredHours(database) == [300])
    }

    @Test("a dry run counts the rows it would retire and deletes none")
    func dryRunCounts() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("m.db")
        try load([try dir.write("BTCUSDT.jsonl", pricesLine(at: 200, prices: [1, nil, nil, nil, nil]))], into: database, zone: zone)
        let bytes = try FileSystem.readFile(database)
        let outcome = try load([try dir.write("BTCUSDT.jsonl", "")], into: database, dryRun: true, zone: zone)
        #expect(outcome.counts.total == LoadPlan.Tally(retired: 1))
        #expect(LoadReport.dryRun(outcome, database: database).contains("retire"))
        #expect(try FileSystem.readFile(database) == bytes)
    }

    @Test("a load that fails retires nothing: one bad line leaves every row where it was")
    func failedLoadRetiresNothing() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("m.db")
        try load([try dir.write("BTCUSDT.jsonl", pricesLine(at: 200, prices: [1, nil, nil, nil, nil]))], into: database, zone: zone)
        let good = try dir.write("BTCUSDT.jsonl", "")
        let bad = try dir.write("ETHUSDT.jsonl", #"{"symbol":"ETH","dimension":"flow_1h"}"#)
        #expect(throws: (any Error).self) { try load([good, bad], into: database, zone: zone) }
        #expect(try triggeredHours(database) == [200])
    }

    @Test("the summary line names the retired rows")
    func summaryCountsRetired() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("m.db")
        try load([try dir.write("BTCUSDT.jsonl", pricesLine(at: 200, prices: [1, nil, nil, nil, nil]))], into: database, zone: zone)
        let outcome = try load([try dir.write("BTCUSDT.jsonl", "")], into: database, zone: zone)
        #expect(LoadReport.summary(outcome, database: "m.db") == ["m.db: BTC: 0 inserted, 0 updated, 0 unchanged, 1 retired"])
    }

    /// The rows' hours, counted from 2024-01-01, ascending.
    private func triggeredHours(_ database: String) throws -> [Int64] {
        try DatabaseQueue(path: database).read { db in
            try Int64.fetchAll(db, sql: "SELECT triggered_at FROM extreme_events ORDER BY triggered_at")
        }.map { ($0 - 1_704_067_200_000) / 3_600_000 }
    }
}
