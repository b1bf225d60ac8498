import Common
import EventStore
import GRDB
import Testing
@testable import stage_load

@Suite("migrating the original tool's table")
struct MigrationTests {
    /// Three rows of one event (the second has the most prices), two of another
    /// (equal prices: the first stays), one alone.
    let legacyRows: [LegacyTable.Row] = [
        ("BTC", "flow_1h", 7, 0, 1.0, 95.0, [42000.0, nil, nil, nil, nil]),      // id 1
        ("BTC", "flow_1h", 7, 0, 1.0, 95.0, [42000.0, 42100.0, nil, nil, nil]),  // id 2: kept
        ("BTC", "flow_1h", 7, 0, 1.0, 95.0, [nil, nil, nil, nil, nil]),          // id 3
        ("BTC", "flow_1h", 30, 0, 1.0, 91.0, [42000.0, nil, nil, nil, nil]),     // id 4: kept
        ("BTC", "flow_1h", 30, 0, 1.0, 91.0, [42000.0, nil, nil, nil, nil]),     // id 5
        ("ETH", "taker_ratio", 90, 3, 2.5, 99.0, [2300.0, nil, nil, nil, nil]),  // id 6: kept
    ]

    @Test("duplicates go, keeping the row with the most prices (ties: the lowest id), and the key is added")
    func migrate() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("monitor.db")
        try LegacyTable.create(database, rows: legacyRows)
        let btc = try dir.write("BTCUSDT.jsonl", pricesLine(window: 7, at: 0, value: 1.0, percentile: 95.0, prices: [42000.0, 42100.0, 42200.0, nil, nil]) + "\n")

        let outcome = try load([btc], into: database)
        #expect(outcome.migration == KeyMigration(droppedIDs: [1, 3, 5], duplicatedEvents: 2))
        #expect(outcome.counts.total == LoadPlan.Tally(updated: 1, history: 1))

        let queue = try DatabaseQueue(path: database)
        let ids = try queue.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM extreme_events ORDER BY id") }
        let filled = try queue.read { db in try Double.fetchOne(db, sql: "SELECT price_12h FROM extreme_events WHERE id = 2") }
        #expect(ids == [2, 4, 6])
        #expect(filled == 42200.0)
        #expect(try queue.read(TableShape.read).hasKey)
        let summary = LoadReport.summary(outcome, database: database)
        #expect(summary.first == "\(database): migrated the original tool's table: 3 duplicate row(s) of 2 event(s) dropped, added the unique key (symbol, dimension, window_days, triggered_at)")

        // Once migrated, a load is an ordinary load.
        #expect(try load([btc], into: database).migration == nil)
    }

    @Test("a dry run on the original tool's table reports the drops and changes nothing")
    func dryRun() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("monitor.db")
        try LegacyTable.create(database, rows: legacyRows)
        let bytes = try FileSystem.readFile(database)
        let btc = try dir.write("BTCUSDT.jsonl", pricesLine(window: 7, at: 0, value: 1.0, percentile: 95.0, prices: [42000.0, 42100.0, nil, nil, nil]) + "\n")

        let outcome = try load([btc], into: database, dryRun: true)
        #expect(outcome.migration?.droppedIDs == [1, 3, 5])
        // Planned against the rows that stay: the kept row already equals the event.
        #expect(outcome.counts.total == LoadPlan.Tally(unchanged: 1, history: 1))
        #expect(try FileSystem.readFile(database) == bytes)
        let lines = LoadReport.dryRun(outcome, database: database).split(separator: "\n")
        #expect(lines[1] == "the table is the original tool's: a load would drop 3 duplicate row(s) of 2 event(s) and add the unique key")
    }

    @Test("a table lacking one of SPEC's columns is refused, untouched")
    func wrongShape() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("monitor.db")
        try DatabaseQueue(path: database).write { try $0.execute(sql: "CREATE TABLE extreme_events (id INTEGER PRIMARY KEY, symbol TEXT)") }
        let bytes = try FileSystem.readFile(database)
        let btc = try dir.write("BTCUSDT.jsonl", pricesLine(at: 0, prices: [1, nil, nil, nil, nil]))
        #expect {
            try load([btc], into: database)
        } throws: { error in
            "\(error)".hasPrefix("\(database): table extreme_events lacks column(s) dimension, window_days")
        }
        #expect(try FileSystem.readFile(database) == bytes)
    }

    @Test("a migrated table has the schema of a new one")
    func sameSchema() throws {
        let dir = try TemporaryDirectory()
        let btc = try dir.write("BTCUSDT.jsonl", pricesLine(at: 0, prices: [1, nil, nil, nil, nil]))
        try LegacyTable.create(dir.file("old.db"), rows: legacyRows)
        try load([btc], into: dir.file("old.db"))
        try load([btc], into: dir.file("new.db"))
        func indexes(_ path: String) throws -> [String] {
            try DatabaseQueue(path: path).read { db in try db.indexes(on: EventsTable.name).map { "\($0.name) \($0.columns) \($0.isUnique)" } }
        }
        #expect(try indexes(dir.file("old.db")) == indexes(dir.file("new.db")))
    }
}
