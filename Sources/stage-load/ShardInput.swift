import Common
import EventStore
import GRDB

/// `make merge`: the rows of shard databases (each written by stage-load for its part
/// of the symbols, with its own CACHE and DB) as one load's input, so that the merge
/// upserts them with the load's key and rules: a price never replaced by null, and per
/// symbol of the shards, the rows of the merged table over [range start + window, END)
/// that no shard reproduces retired. Each shard is opened for reading only and must be
/// a backfill database (table extreme_events with SPEC's columns and unique key);
/// a symbol held by two (a shard count changed) is taken from the shard that owns it.
/// Each symbol of a shard is one batch: the merge
/// holds one symbol's rows at a time.
enum ShardInput {
    /// Checks every shard before the merged database is opened, without holding its
    /// rows: its table, its symbols (each in one shard), no row without value or
    /// percentile.
    static func read(_ paths: [String]) throws -> LoadInput {
        var symbolsOf: [[String]] = []
        var holders: [String: [Int]] = [:]
        for (index, path) in paths.enumerated() {
            guard FileSystem.exists(path) else { throw DataError(file: path, "no such shard database") }
            guard !FileSystem.isDirectory(path) else { throw DataError(file: path, "a directory, not a shard database") }
            let symbols = try reading(path, symbolsOfShard)
            symbolsOf.append(symbols)
            for symbol in symbols { holders[symbol, default: []].append(index) }
        }
        var batches: [LoadBatch] = []
        for (index, path) in paths.enumerated() {
            for symbol in symbolsOf[index] where try owner(of: symbol, holders[symbol]!, paths) == index {
                batches.append(LoadBatch(symbols: [symbol], origin: .shard(path: path)))
            }
        }
        return LoadInput(batches: batches, files: paths)
    }

    /// The shard a symbol is merged from: its only holder; when several hold it (the
    /// shard count changed and a shard has not run since), the one that owns it now,
    /// the shards being given in order, 0 to COUNT-1 (`Shard`).
    private static func owner(of symbol: String, _ holders: [Int], _ paths: [String]) throws -> Int {
        guard holders.count > 1 else { return holders[0] }
        if let name = try? Symbol(symbol) {
            let owner = Shard.index(of: name, count: paths.count)
            if holders.contains(owner) { return owner }
        }
        throw DataError(file: paths[holders[1]], "symbol \(symbol) is in \(paths[holders[0]]) too, and neither is its shard "
                        + "(SHARDS in order 0 to \(paths.count - 1)): run that shard's make all again, which drops the symbols it no longer owns")
    }

    /// The rows of `symbol` in the shard at `path`, as events in key order.
    static func events(of symbol: String, in path: String) throws -> [PricedEvent] {
        let stored = try reading(path) { db, path in try StoredEvent.read(db, symbols: [symbol]) }
        return try stored.values.sorted(by: { $0.key < $1.key }).map { row in
            guard let value = row.value, let percentile = row.percentile else { throw noValue(row.id, row.key, path) }
            return PricedEvent(key: row.key, value: value, percentile: percentile, prices: row.prices)
        }
    }

    /// The shard's symbols, once its table is known to be a backfill one.
    private static func symbolsOfShard(_ db: Database, path: String) throws -> [String] {
        let shape = try TableShape.read(db)
        guard shape.exists, shape.missingColumns.isEmpty, shape.hasKey else {
            let why = !shape.exists ? "it has no table \(EventsTable.name)"
                : !shape.missingColumns.isEmpty ? "its table \(EventsTable.name) lacks \(shape.missingColumns.joined(separator: ", "))"
                : "its table \(EventsTable.name) has no unique key (the original tool's: load it with stage-load first)"
            throw DataError(file: path, "not a backfill shard database: \(why)")
        }
        // The first row, in key order, that cannot be an event; rows with a null in the
        // key are not read at all (StoredEvent.read), so they are not asked about.
        let key = EventsTable.key.joined(separator: ", ")
        let keyIsComplete = EventsTable.key.map { "\($0) IS NOT NULL" }.joined(separator: " AND ")
        if let row = try Row.fetchOne(db, sql: """
            SELECT id, \(key) FROM \(EventsTable.name)
            WHERE \(keyIsComplete) AND (value IS NULL OR percentile IS NULL) ORDER BY \(key) LIMIT 1
            """) {
            let eventKey = EventKey(symbol: row["symbol"], dimension: row["dimension"], windowDays: row["window_days"], triggeredAt: row["triggered_at"])
            throw noValue(row["id"], eventKey, path)
        }
        return try String.fetchAll(db, sql: "SELECT DISTINCT symbol FROM \(EventsTable.name) WHERE symbol IS NOT NULL ORDER BY symbol")
    }

    private static func noValue(_ id: Int64, _ key: EventKey, _ path: String) -> DataError {
        DataError(file: path, "row id \(id) (\(key)) has no value or percentile: not a row stage-load writes")
    }

    /// Runs `body` on the shard opened for reading; SQLite's errors, and a row that
    /// is not numbers, become errors naming the shard.
    private static func reading<T>(_ path: String, _ body: (Database, String) throws -> T) throws -> T {
        do {
            return try DatabaseFile.explainingErrors(path: path) {
                guard let queue = try DatabaseFile.openForReading(path) else { throw DataError(file: path, "no such shard database") }
                return try queue.read { db in try body(db, path) }
            }
        } catch let error as DatabaseFileError {
            throw DataError(file: path, "not a backfill shard database (make merge SHARDS=…): \(error)")
        } catch let error as UnreadableRow {
            throw DataError(file: path, error.description)
        }
    }
}
