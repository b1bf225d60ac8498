import Common

/// What one month of the archive contributes to a symbol's series: the flow of
/// each hour its trade files cover, the last metrics values of each hour, the
/// funding settlements, and the month's large-trade threshold. Stored as
/// `series/SYM/months/YYYY-MM.csv` (+ `.threshold.csv`) so that a new day's
/// files redo only their month; the series are joined from these parts.
struct MonthPart: Equatable {
    struct Hour: Equatable {
        var flow: Double?
        /// The metrics of the hour: each column from the last row (by create_time) that has it.
        var openInterest: Double?
        var topPositionRatio: Double?
        var globalAccountRatio: Double?
        var takerRatio: Double?
        /// create_time of the hour's last metrics row, to settle an hour two parts both hold.
        var metricsTime: Millis?
        var fundingRate: Double?
        var fundingTime: Millis?
    }

    var month: Month
    var trades: Int
    var threshold: Double
    /// Hour start → values.
    var hours: [Millis: Hour] = [:]

    static let header = "timestamp,flow_1h,open_interest,top_position_ratio,global_account_ratio,taker_ratio,metrics_time,funding_rate,funding_time"
    static let thresholdHeader = "month,trades,threshold"

    /// The part's CSV: one row per hour that has anything, ascending; empty cells where no value.
    var csv: String {
        var out = Self.header + "\n"
        func cell(_ v: Double?) -> String { v.map(NumberFormat.shortest) ?? "" }
        func cell(_ v: Millis?) -> String { v.map(String.init) ?? "" }
        for t in hours.keys.sorted() {
            let h = hours[t]!
            out += "\(t),\(cell(h.flow)),\(cell(h.openInterest)),\(cell(h.topPositionRatio)),\(cell(h.globalAccountRatio)),\(cell(h.takerRatio)),\(cell(h.metricsTime)),\(cell(h.fundingRate)),\(cell(h.fundingTime))\n"
        }
        return out
    }

    var thresholdRow: String { "\(month),\(trades),\(NumberFormat.shortest(threshold))" }
    var thresholdCSV: String { Self.thresholdHeader + "\n" + thresholdRow + "\n" }

    func write(_ symbol: Symbol, in layout: CacheLayout) throws {
        // The threshold first: the part is make's target, so it is written last.
        try AtomicFile.write(thresholdCSV, to: layout.monthThreshold(symbol, month))
        try AtomicFile.write(csv, to: layout.monthPart(symbol, month))
    }

    /// Removes the parts of months the range no longer spans (it moved on), so that
    /// the cache holds what a clean run of this range would.
    static func removeParts(_ symbol: Symbol, outside range: ArchiveRange, in layout: CacheLayout) throws {
        let kept = Set(range.months.flatMap { [layout.monthPart(symbol, $0), layout.monthThreshold(symbol, $0)] })
        let directory = FileSystem.parent(of: layout.monthPart(symbol, range.start.month))
        for name in FileSystem.list(directory) where name.hasSuffix(".csv") && !kept.contains("\(directory)/\(name)") {
            try FileSystem.remove("\(directory)/\(name)")
        }
    }

    static func read(_ symbol: Symbol, _ month: Month, in layout: CacheLayout) throws -> MonthPart {
        let thresholdPath = layout.monthThreshold(symbol, month), partPath = layout.monthPart(symbol, month)
        let thresholdLines = try lines(thresholdPath, header: thresholdHeader)
        guard thresholdLines.count == 1, case let f = thresholdLines[0].fields, f.count == 3, f[0] == month.description,
              let trades = Int(f[1]), let threshold = Double(f[2]) else {
            throw DataError(file: thresholdPath, line: 2, "expected one row '\(month),TRADES,THRESHOLD'")
        }
        var part = MonthPart(month: month, trades: trades, threshold: threshold)
        for (number, fields) in try lines(partPath, header: header) {
            guard fields.count == 9, let t = Millis(fields[0]), t % Time.hour == 0 else {
                throw DataError(file: partPath, line: number, "expected 9 fields starting with an hour's timestamp")
            }
            func double(_ i: Int) throws -> Double? {
                if fields[i].isEmpty { return nil }
                guard let v = Double(fields[i]), v.isFinite else { throw DataError(file: partPath, line: number, "field \(i + 1): '\(fields[i])' is not a number") }
                return v
            }
            func millis(_ i: Int) throws -> Millis? {
                if fields[i].isEmpty { return nil }
                guard let v = Millis(fields[i]) else { throw DataError(file: partPath, line: number, "field \(i + 1): '\(fields[i])' is not a timestamp") }
                return v
            }
            part.hours[t] = Hour(flow: try double(1), openInterest: try double(2), topPositionRatio: try double(3),
                                 globalAccountRatio: try double(4), takerRatio: try double(5), metricsTime: try millis(6),
                                 fundingRate: try double(7), fundingTime: try millis(8))
        }
        return part
    }

    /// The data lines of a small CSV file, numbered from 2, after checking its header.
    private static func lines(_ path: String, header: String) throws -> [(number: Int, fields: [String])] {
        let text = try FileSystem.readText(path)
        var rows = text.split(separator: "\n", omittingEmptySubsequences: false)
        if rows.last == "" { rows.removeLast() }
        guard rows.first == Substring(header) else {
            throw DataError(file: path, line: 1, "expected header '\(header)'")
        }
        return rows.enumerated().dropFirst().map { ($0.offset + 1, $0.element.split(separator: ",", omittingEmptySubsequences: false).map(String.init)) }
    }
}
