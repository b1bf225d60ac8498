import Common
import EventStore
import Glibc
import GRDB
import Testing
@testable import stage_load

@Suite("loading priced events")
struct LoadTests {
    @Test("loading twice gives the same rows and leaves the file's bytes alone")
    func loadTwice() throws {
        let dir = try TemporaryDirectory()
        let btc = try dir.write("BTCUSDT.jsonl", [
            pricesLine(at: 0, prices: [42000.1, 42100.0, nil, nil, nil]),
            pricesLine(window: 30, at: 0, percentile: 91.0, prices: [42000.1, 42100.0, nil, nil, nil]),
            pricesLine(dimension: "taker_ratio", at: 1, value: 1.7, percentile: 100.0, prices: [42010.5, nil, nil, nil, nil]),
        ].joined(separator: "\n") + "\n")
        let eth = try dir.write("ETHUSDT.jsonl", pricesLine("ETH", at: 5, value: -1.5e-05, prices: [2300.5, 2310.25, 2290.0, 2280.0, 2275.5]) + "\n")
        let database = dir.file("data/monitor.db")

        let first = try load([btc, eth], into: database)
        #expect(first.newDatabase)
        #expect(first.counts.total == LoadPlan.Tally(inserted: 4))
        let rows = try tableRows(database)
        let bytes = try FileSystem.readFile(database)

        let second = try load([btc, eth], into: database)
        #expect(second.counts.total == LoadPlan.Tally(unchanged: 4))
        #expect(second.counts.changesNothing)
        #expect(try tableRows(database) == rows)
        #expect(try FileSystem.readFile(database) == bytes)
        #expect(!FileSystem.exists(database + "-wal"))
        #expect(rows.count == 4)
        #expect(rows[3].contains("-1.5e-05"))
    }

    @Test("the table has SPEC's columns, the unique key, and the database is in WAL mode")
    func schema() throws {
        let dir = try TemporaryDirectory()
        let btc = try dir.write("BTCUSDT.jsonl", pricesLine(at: 0, prices: [1, nil, nil, nil, nil]) + "\n")
        try load([btc], into: dir.file("m.db"))
        let queue = try DatabaseQueue(path: dir.file("m.db"))
        let shape = try queue.read(TableShape.read)
        #expect(shape.columns == EventsTable.columns)
        #expect(shape.hasKey)
        #expect(try queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("a later load fills prices that were null, and a null never erases a known price")
    func fillPrices() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("m.db")
        let early = try dir.write("BTCUSDT.jsonl", pricesLine(at: 0, prices: [42000.1, 42100.0, nil, nil, nil]) + "\n")
        try load([early], into: database)

        // Later: 12 h and 24 h are known, and (a pathological file) the 4 h price is null.
        let later = try dir.write("BTCUSDT.jsonl", pricesLine(at: 0, prices: [42000.1, nil, 42200.0, 42300.0, nil]) + "\n")
        let outcome = try load([later], into: database)
        #expect(outcome.counts.total == LoadPlan.Tally(updated: 1))
        let queue = try DatabaseQueue(path: database)
        let prices = try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT price_at_trigger, price_4h, price_12h, price_24h, price_48h FROM extreme_events")!
        }
        #expect(prices["price_at_trigger"] as Double? == 42000.1)
        #expect(prices["price_4h"] as Double? == 42100.0)
        #expect(prices["price_12h"] as Double? == 42200.0)
        #expect(prices["price_24h"] as Double? == 42300.0)
        #expect(prices["price_48h"] as Double? == nil)
    }

    @Test("a changed value or percentile of an existing event is updated, in place")
    func valueChanges() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("m.db")
        try load([try dir.write("BTCUSDT.jsonl", pricesLine(at: 0, value: 1.0, prices: [1, nil, nil, nil, nil]) + "\n")], into: database)
        let outcome = try load([try dir.write("BTCUSDT.jsonl", pricesLine(at: 0, value: 2.0, percentile: 99.0, prices: [1, nil, nil, nil, nil]) + "\n")], into: database)
        #expect(outcome.counts.total == LoadPlan.Tally(updated: 1))
        let row = try #require(try tableRows(database).first)
        #expect(row.contains("id:1") && row.contains("value:2.0") && row.contains("percentile:99.0"))
    }

    @Test("rows no event of the load matches, before range start + window, are history: kept and counted")
    func keepsOtherRows() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("m.db")
        try load([try dir.write("BTCUSDT.jsonl", [pricesLine(at: 0, prices: [1, nil, nil, nil, nil]), pricesLine(at: 1, prices: [2, nil, nil, nil, nil])].joined(separator: "\n"))], into: database)
        let outcome = try load([try dir.write("BTCUSDT.jsonl", pricesLine(at: 1, prices: [2, nil, nil, nil, nil]))], into: database)
        #expect(outcome.counts.total == LoadPlan.Tally(unchanged: 1, history: 1))
        #expect(try tableRows(database).count == 2)
    }
}

@Suite("dry run")
struct DryRunTests {
    @Test("a dry run reports what a load would do and leaves the file byte-identical")
    func existing() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("m.db")
        try load([try dir.write("BTCUSDT.jsonl", [pricesLine(at: 0, prices: [1, nil, nil, nil, nil]), pricesLine(at: 1, prices: [2, nil, nil, nil, nil])].joined(separator: "\n"))], into: database)
        let bytes = try FileSystem.readFile(database)
        let time = FileSystem.modificationTime(database)

        let next = try dir.write("BTCUSDT.jsonl", [
            pricesLine(at: 0, prices: [1, nil, nil, nil, nil]),
            pricesLine(at: 1, prices: [2, 3, nil, nil, nil]),
            pricesLine(dimension: "oi_change_1h", at: 2, value: 0.01, prices: [4, nil, nil, nil, nil]),
        ].joined(separator: "\n"))
        let outcome = try load([next], into: database, dryRun: true)
        #expect(outcome.counts.tallies[LoadPlan.Group(symbol: "BTC", dimension: "flow_1h")] == LoadPlan.Tally(updated: 1, unchanged: 1))
        #expect(outcome.counts.tallies[LoadPlan.Group(symbol: "BTC", dimension: "oi_change_1h")] == LoadPlan.Tally(inserted: 1))
        #expect(try FileSystem.readFile(database) == bytes)
        #expect(FileSystem.modificationTime(database) == time)
        #expect(FileSystem.list(dir.path).sorted() == ["BTCUSDT.jsonl", "m.db"])

        let text = LoadReport.dryRun(outcome, database: database)
        #expect(text.contains("BTC     flow_1h            0       1          1       0        0"))
        #expect(text.contains("BTC     oi_change_1h       1       0          0       0        0"))
    }

    @Test("a dry run does not create an absent database, nor its directory")
    func absent() throws {
        let dir = try TemporaryDirectory()
        let outcome = try load([try dir.write("BTCUSDT.jsonl", pricesLine(at: 0, prices: [1, nil, nil, nil, nil]))], into: dir.file("data/m.db"), dryRun: true)
        #expect(outcome.newDatabase)
        #expect(outcome.counts.total == LoadPlan.Tally(inserted: 1))
        #expect(!FileSystem.exists(dir.file("data")))
    }

    @Test("a dry run does not switch the journal mode of a database in rollback mode")
    func journalMode() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("legacy.db")
        try LegacyTable.create(database, rows: [])
        let bytes = try FileSystem.readFile(database)
        try load([try dir.write("BTCUSDT.jsonl", pricesLine(at: 0, prices: [1, nil, nil, nil, nil]))], into: database, dryRun: true)
        #expect(try FileSystem.readFile(database) == bytes)
        let mode = try DatabaseQueue(path: database).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "delete")
    }
}
