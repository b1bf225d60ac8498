import Common
import GRDB

/// What the database holds for one symbol: for `pipeline status` and load summaries.
public struct LoadedEvents: Equatable, Sendable {
    public var rows: Int
    /// The earliest and latest `triggered_at`; nil when there is no row.
    public var first: Millis?
    public var last: Millis?
    /// Rows with at least one price still unknown (null).
    public var awaitingPrices: Int

    public init(rows: Int, first: Millis?, last: Millis?, awaitingPrices: Int) {
        self.rows = rows
        self.first = first
        self.last = last
        self.awaitingPrices = awaitingPrices
    }

    /// One summary per symbol (`BTC`, as stored); empty when the table does not exist.
    public static func bySymbol(_ db: Database) throws -> [String: LoadedEvents] {
        guard try db.tableExists(EventsTable.name) else { return [:] }
        let anyNull = EventsTable.prices.map { "\($0) IS NULL" }.joined(separator: " OR ")
        let rows = try Row.fetchAll(db, sql: """
            SELECT symbol, count(*) AS n, min(triggered_at) AS first, max(triggered_at) AS last,
                   sum(CASE WHEN \(anyNull) THEN 1 ELSE 0 END) AS awaiting
            FROM \(EventsTable.name) GROUP BY symbol
            """)
        var result: [String: LoadedEvents] = [:]
        for row in rows {
            guard let symbol: String = row["symbol"] else { continue }
            result[symbol] = LoadedEvents(rows: row["n"], first: row["first"], last: row["last"], awaitingPrices: row["awaiting"])
        }
        return result
    }
}
