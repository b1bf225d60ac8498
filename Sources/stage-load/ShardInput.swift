import Common
import EventStore
import GRDB

/// `make merge`: the rows of shard databases (each written by stage-load for its part
/// of the symbols, with its own CACHE and DB) as one load's input, so that the merge
/// upserts them with the load's key and rules: a price never replaced by null, and per
/// symbol of the shards, the rows of the merged table over [range start + window, END)
/// that no shard reproduces retired. Each shard is opened for reading only and must be
/// a backfill database (table extreme_events with SPEC's columns and unique key);
/// a symbol may be in one shard only.
enum ShardInput {
    static func read(_ paths: [String]) throws -> LoadInput {
        var events: [PricedEvent] = []
        var symbols: [String] = []
        var owner: [String: String] = [:]
        for path in paths {
            guard FileSystem.exists(path) else { throw DataError(file: path, "no such shard database") }
            guard !FileSystem.isDirectory(path) else { throw DataError(file: path, "a directory, not a shard database") }
            let rows: [(String, [EventKey: StoredEvent])]
            do { rows = try DatabaseFile.explainingErrors(path: path) {
                guard let queue = try DatabaseFile.openForReading(path) else { throw DataError(file: path, "no such shard database") }
                return try queue.read { db in
                    let shape = try TableShape.read(db)
                    guard shape.exists, shape.missingColumns.isEmpty, shape.hasKey else {
                        let why = !shape.exists ? "it has no table \(EventsTable.name)"
                            : !shape.missingColumns.isEmpty ? "its table \(EventsTable.name) lacks \(shape.missingColumns.joined(separator: ", "))"
                            : "its table \(EventsTable.name) has no unique key (the original tool's: load it with stage-load first)"
                        throw DataError(file: path, "not a backfill shard database: \(why)")
                    }
                    let names = try String.fetchAll(db, sql: "SELECT DISTINCT symbol FROM \(EventsTable.name) WHERE symbol IS NOT NULL ORDER BY symbol")
                    return try names.map { ($0, try StoredEvent.read(db, symbols: [$0])) }
                }
            } } catch let error as DatabaseFileError {
                throw DataError(file: path, "not a backfill shard database (make merge SHARDS=…): \(error)")
            }
            for (symbol, stored) in rows {
                if let other = owner[symbol] {
                    throw DataError(file: path, "symbol \(symbol) is in \(other) too: shards must hold different symbols")
                }
                owner[symbol] = path
                symbols.append(symbol)
                for (key, row) in stored.sorted(by: { $0.key < $1.key }) {
                    guard let value = row.value, let percentile = row.percentile else {
                        throw DataError(file: path, "row id \(row.id) (\(key)) has no value or percentile: not a row stage-load writes")
                    }
                    events.append(PricedEvent(key: key, value: value, percentile: percentile, prices: row.prices))
                }
            }
        }
        return LoadInput(events: events, symbols: symbols, files: paths)
    }
}
