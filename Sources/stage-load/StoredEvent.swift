import Common
import EventStore
import GRDB

/// A row of `extreme_events` as it is, before a load touches it. Value and
/// percentile may be null in a table the original tool wrote.
struct StoredEvent: Equatable, Sendable {
    var id: Int64
    var key: EventKey
    var value: Double?
    var percentile: Double?
    var prices: Prices

    /// The rows of these symbols (short form), by key; rows whose key has a null
    /// part cannot match any event and are left out, and so are `excluding`
    /// (duplicates a migration drops).
    static func read(_ db: Database, symbols: [String], excluding: Set<Int64> = []) throws -> [EventKey: StoredEvent] {
        guard !symbols.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: symbols.count).joined(separator: ", ")
        let sql = "SELECT \(EventsTable.columns.joined(separator: ", ")) FROM \(EventsTable.name) WHERE symbol IN (\(placeholders)) ORDER BY id"
        var result: [EventKey: StoredEvent] = [:]
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(symbols))
        while let row = try rows.next() {
            let id: Int64 = row["id"]
            guard !excluding.contains(id) else { continue }
            guard let symbol: String = row["symbol"], let dimension: String = row["dimension"],
                  let window = try integer(row, "window_days", id: id), let triggered = try integer(row, "triggered_at", id: id)
            else { continue }
            let key = EventKey(symbol: symbol, dimension: dimension, windowDays: Int(window), triggeredAt: triggered)
            let prices = Prices(atTrigger: try real(row, Horizon.triggerKey, id: id),
                                after: try Horizon.keys.map { try real(row, $0, id: id) })
            let stored = StoredEvent(id: id, key: key, value: try real(row, "value", id: id),
                                     percentile: try real(row, "percentile", id: id), prices: prices)
            // With a unique key there is one row per key; keep the first otherwise.
            if result[key] == nil { result[key] = stored }
        }
        return result
    }

    private static func real(_ row: Row, _ column: String, id: Int64) throws -> Double? {
        let raw: DatabaseValue = row[column]
        if raw.isNull { return nil }
        guard let number = Double.fromDatabaseValue(raw) else {
            throw UnreadableRow(id: id, column: column, found: raw.description)
        }
        return number
    }

    private static func integer(_ row: Row, _ column: String, id: Int64) throws -> Int64? {
        let raw: DatabaseValue = row[column]
        if raw.isNull { return nil }
        guard let number = Int64.fromDatabaseValue(raw) else {
            throw UnreadableRow(id: id, column: column, found: raw.description)
        }
        return number
    }
}

/// A stored row whose column holds something other than a number.
struct UnreadableRow: Error, CustomStringConvertible {
    let id: Int64
    let column: String
    let found: String
    var description: String {
        "\(EventsTable.name) row id \(id): \(column) is \(found), expected a number; fix or delete that row with sqlite3"
    }
}
