@_exported import TestSupport
import Common
import Glibc
import GRDB
@testable import backfill

/// A hand-made cache and database in a directory of its own, removed when dropped.
/// What make would run is given to each survey as make's own dry-run text.
final class CacheTree {
    let root: String
    var layout: CacheLayout { CacheLayout(root: "\(root)/cache") }
    var database: String { "\(root)/monitor.db" }
    let btc = try! Symbol("BTC")

    /// The range of the fixtures: END 2024-03-05, DAYS 40 → 2024-01-01 to 2024-03-04.
    static let range = ArchiveRange(end: Day("2024-03-05")!, days: 40)

    init() throws {
        root = try TemporaryDirectory("backfill-status").path
    }

    /// The plan of `symbols` over `range` for this cache and database.
    func plan(_ symbols: [Symbol]? = nil, range: ArchiveRange = CacheTree.range) -> Plan {
        let names = (symbols ?? [btc]).map(\.full).joined(separator: " ")
        let knobs = Knobs(symbols: names, end: "\(range.end)", days: "\(range.start.distance(to: range.end))", cache: layout.root, db: database)
        return try! Plan.make(knobs, today: range.end, universe: { _ in nil })
    }

    /// The status of `symbols` when make, asked `make -n`, would print `make`.
    func survey(_ symbols: [Symbol]? = nil, range: ArchiveRange = CacheTree.range, make: String = "") -> StatusReport {
        StatusReport.survey(plan(symbols, range: range), verdict: MakeVerdict.parse(make))
    }

    /// Writes `text` to `path` with modification time `time` (seconds after 2024-03-05).
    func write(_ path: String, _ text: String, at time: Int) throws {
        try AtomicFile.write(text, to: path)
        setTime(path, time)
    }

    func setTime(_ path: String, _ time: Int) {
        let stamp = timespec(tv_sec: 1_709_596_800 + time, tv_nsec: 0)
        _ = [stamp, stamp].withUnsafeBufferPointer { utimensat(AT_FDCWD, path, $0.baseAddress, 0) }
    }

    /// Every stage of BTCUSDT done: download at 10, month parts at 20, series at 30,
    /// events at 40, prices at 50, database and load stamp at 60.
    func buildComplete() throws {
        try write(layout.fileList(btc), """
            dataset,file,sha256
            aggTrades,monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip,01
            aggTrades,monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-02.zip,02
            aggTrades,daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-03-01.zip,03
            aggTrades,daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-03-02.zip,04
            klines,monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01.zip,05

            """, at: 10)
        try write(layout.missingList(btc), """
            dataset,file,url,reason
            aggTrades,daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-03-03.zip,http://127.0.0.1/a.zip,not published (404)
            aggTrades,daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-03-04.zip,http://127.0.0.1/b.zip,not published (404)

            """, at: 10)
        for month in Self.range.months {
            try write(layout.monthList(btc, month), "dataset,file,sha256\n", at: 10)
            try write(layout.monthPart(btc, month), "timestamp,value\n", at: 20)
        }
        try write(layout.series(btc) + "/months.txt", Self.range.months.map(\.description).joined(separator: " ") + "\n", at: 20)
        for name in Dimension.allCases.map(\.rawValue) {
            // 2024-01-01 00:00, 01:00 and 2024-03-04 23:00
            try write(layout.series(btc, name), "timestamp,value\n1704067200000,1.5\n1704070800000,2\n1709593200000,3\n", at: 30)
        }
        try write(layout.thresholds(btc), "month,trades,threshold\n", at: 30)
        let events = [
            #"{"symbol":"BTC","dimension":"flow_1h","window_days":7,"triggered_at":1704844800000,"value":1.0,"percentile":95.0}"#,
            #"{"symbol":"BTC","dimension":"flow_1h","window_days":30,"triggered_at":1706745600000,"value":1.0,"percentile":95.0}"#,
        ]
        try write(layout.events(btc), events.joined(separator: "\n") + "\n", at: 40)
        let prices = events.map { $0.dropLast() + #","price_at_trigger":1.0,"price_4h":2.0,"price_12h":3.0,"price_24h":4.0,"price_48h":"# }
        try write(layout.prices(btc), prices[0] + "5.0}\n" + prices[1] + "null}\n", at: 50)
        try write(layout.root + "/load/symbols.txt", "BTCUSDT\n", at: 50)
        try makeDatabase(rows: [("BTC", 1_704_844_800_000, 1.0), ("BTC", 1_706_745_600_000, nil), ("ETH", 1_706_745_600_000, 1.0)], at: 60)
        try write(plan().loadStamp, database + "\n", at: 60)
    }

    /// A database with one row per (symbol, triggered_at, price_48h).
    func makeDatabase(rows: [(String, Int64, Double?)], at time: Int) throws {
        let queue = try DatabaseQueue(path: database)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE extreme_events (id INTEGER PRIMARY KEY, symbol TEXT, dimension TEXT, window_days INTEGER, triggered_at INTEGER, value REAL, percentile REAL, price_at_trigger REAL, price_4h REAL, price_12h REAL, price_24h REAL, price_48h REAL)")
            for (index, (symbol, triggered, last)) in rows.enumerated() {
                try db.execute(sql: "INSERT INTO extreme_events VALUES (NULL, ?, 'flow_1h', ?, ?, 1.0, 95.0, 1.0, 2.0, 3.0, 4.0, ?)",
                               arguments: [symbol, [7, 30, 90][index % 3], triggered, last])
            }
        }
        try queue.close()
        setTime(database, time)
    }
}
