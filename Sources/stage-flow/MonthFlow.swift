import Common
import Glibc

/// Computes one month's part from the verified files stage-download listed for it.
struct MonthFlow {
    let symbol: Symbol
    let month: Month
    let layout: CacheLayout
    /// The library that inflates the zips (ISA-L where built, else zlib).
    var inflater: InflaterKind = .preferred

    /// The month's files, as `download/SYM/months/YYYY-MM.csv` lists them.
    func listing() throws -> ArchiveListing {
        try ArchiveListing.read(layout.monthList(symbol, month))
    }

    func compute(_ listing: ArchiveListing) throws -> MonthPart {
        let tradeFiles = self.tradeFiles(listing)
        var columns = TradeColumns(capacity: try estimatedTrades(tradeFiles))
        var parser = AggTradeParser(month: month)
        for file in tradeFiles {
            try HeldFile.reading(file, in: layout) { try read(file, with: &parser, into: &columns) }
        }
        let threshold = LargeTradeThreshold.threshold(columns.notionals)
        var part = MonthPart(month: month, trades: columns.count, threshold: threshold)
        let flow = HourlyFlow.sums(columns, threshold: threshold, hourCount: parser.hourCount)
        // Every hour of a day a trade file covers has a value: 0 without a large trade.
        for file in tradeFiles {
            for day in file.period.days where day.month == month {
                for h in 0..<24 {
                    let t = day.startMillis + Millis(h) * Time.hour
                    part.hours[t, default: MonthPart.Hour()].flow = flow[Int((t - month.startMillis) / Time.hour)]
                }
            }
        }
        var metrics = MetricsHours()
        for file in listing.files(.metrics) {
            try HeldFile.reading(file, in: layout) { try metrics.read(CSVReader(file, in: layout, inflater: inflater)) }
        }
        metrics.store(into: &part)
        var funding = FundingHours()
        for file in listing.files(.fundingRate) {
            try HeldFile.reading(file, in: layout) { try funding.read(CSVReader(file, in: layout, inflater: inflater)) }
        }
        funding.store(into: &part)
        return part
    }

    /// The month's aggTrades, in file order: its monthly file, or else its daily files by date.
    func tradeFiles(_ listing: ArchiveListing) -> [ArchiveFile] {
        let files = listing.files(.aggTrades)
        if let monthly = files.first(where: { if case .month = $0.period { return true } else { return false } }) {
            if files.count > 1 { Log.warning("\(layout.monthList(symbol, month)): using \(monthly.zipName), ignoring \(files.count - 1) daily files") }
            return [monthly]
        }
        return files.sorted { $0.period < $1.period }
    }

    /// Room for the month's trades up front, from the members' sizes (a trade line is
    /// at least ~40 bytes), so the columns do not grow by copying 400 MB.
    private func estimatedTrades(_ files: [ArchiveFile]) throws -> Int {
        var bytes: UInt64 = 0
        for file in files {
            let directory = try HeldFile.reading(file, in: layout) { try ZipDirectory(path: layout.archive(file)) }
            bytes += directory.entry(named: file.csvName)?.uncompressedSize ?? 0
        }
        return Int(bytes / 40) + 1024
    }

    private func read(_ file: ArchiveFile, with parser: inout AggTradeParser, into columns: inout TradeColumns) throws {
        let started = Clock.now()
        let before = columns.count
        let reader = try CSVReader(file, in: layout, inflater: inflater)
        var lines = 0
        let outsideBefore = parser.outside
        try reader.forEachBlock { block, firstLine in
            let n = try parser.parse(block, firstLine: firstLine, file: reader.name, into: &columns)
            lines += n
            return n
        }
        if parser.outside > outsideBefore {
            Log.warning("\(reader.name):\(parser.firstOutsideLine): \(parser.outside - outsideBefore) trades outside \(month) left out")
        }
        let seconds = max(Clock.now() - started, 1e-9)
        let megabytes = Double(reader.stream.entry.uncompressedSize) / 1e6
        Log.info("\(reader.name): \(columns.count - before) trades, \(Int(megabytes)) MB in \(String(format: "%.1f", seconds)) s (\(Int(megabytes / seconds)) MB/s)")
    }
}

/// Net flow of large trades per hour (SPEC "Large trades"): Σ of the signed
/// notionals with |notional| ≥ threshold, added in file order, so that the same
/// input gives the same bits everywhere.
enum HourlyFlow {
    static func sums(_ columns: borrowing TradeColumns, threshold: Double, hourCount: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: hourCount)
        let notionals = columns.notionals, hours = columns.hours
        sums.withUnsafeMutableBufferPointer { sums in
            for i in 0..<notionals.count where Swift.abs(notionals[i]) >= threshold {
                sums[Int(hours[i])] += notionals[i]
            }
        }
        return sums
    }
}

/// Wall-clock seconds, for progress lines.
enum Clock {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
