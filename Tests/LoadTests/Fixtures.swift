@_exported import TestSupport
import Common
import Glibc
import GRDB
@testable import stage_load

/// One line of a prices file, as stage-prices writes it.
func pricesLine(_ symbol: String = "BTC", dimension: String = "flow_1h", window: Int = 7, at hour: Int64,
                value: Double = 811209.83, percentile: Double = 95.2, prices: [Double?]) -> String {
    PricedEvent(key: EventKey(symbol: symbol, dimension: dimension, windowDays: window, triggeredAt: 1_704_067_200_000 + hour * Time.hour),
                value: value, percentile: percentile, prices: Prices(atTrigger: prices[0], after: Array(prices.dropFirst()))).jsonLine
}

/// Every row of extreme_events, in id order, as text: what "the same table" means.
func tableRows(_ path: String) throws -> [String] {
    let queue = try DatabaseQueue(path: path)
    return try queue.read { db in
        try Row.fetchAll(db, sql: "SELECT * FROM extreme_events ORDER BY id").map { $0.description }
    }
}

/// A range that ends where the fixtures' hours start (2024-01-01): every row of the
/// fixtures lies after it, so no row is retired and those not loaded are history.
let rangeBeforeFixtures = RetirementZone(range: ArchiveRange(end: Day("2024-01-01")!, days: 1))

/// Loads the prices files at `paths` (each named SYM.jsonl) into `database`.
@discardableResult
func load(_ paths: [String], into database: String, dryRun: Bool = false,
          zone: RetirementZone = rangeBeforeFixtures) throws -> LoadOutcome {
    let input = try LoadInput.read(paths.map { LoadInput.Source(path: $0, symbol: LoadInput.symbol(named: $0)) })
    let loader = Loader(path: database, zone: zone)
    return dryRun ? try loader.dryRun(input) : try loader.load(input)
}

/// The original tool's table: SPEC's columns, no unique key, rollback journal.
enum LegacyTable {
    /// (symbol, dimension, window_days, hour, value, percentile, prices)
    typealias Row = (String, String, Int, Int64, Double, Double, [Double?])

    static func create(_ path: String, rows: [Row]) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE extreme_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, symbol TEXT, dimension TEXT, window_days INTEGER,
                    triggered_at INTEGER, value REAL, percentile REAL, price_at_trigger REAL,
                    price_4h REAL, price_12h REAL, price_24h REAL, price_48h REAL)
                """)
            for (symbol, dimension, window, hour, value, percentile, prices) in rows {
                let values: [(any DatabaseValueConvertible)?] = [symbol, dimension, window, 1_704_067_200_000 + hour * 3_600_000, value, percentile]
                try db.execute(sql: "INSERT INTO extreme_events (symbol, dimension, window_days, triggered_at, value, percentile, price_at_trigger, price_4h, price_12h, price_24h, price_48h) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                               arguments: StatementArguments(values + prices.map { $0 }))
            }
        }
    }
}
