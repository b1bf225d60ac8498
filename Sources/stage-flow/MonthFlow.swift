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
    func fileList() throws -> VerifiedFileList {
        try VerifiedFileList.read(layout.monthList(symbol, month))
    }

    func compute(_ fileList: VerifiedFileList) throws -> MonthPart {
        let tradeFiles = self.tradeFiles(fileList)
        var columns = TradeColumns(capacity: try estimatedTrades(tradeFiles))
        var parser = AggTradeParser(month: month)
        // The archive's files come first: its trades are columns[..<archiveTrades].
        var archiveTrades = 0, tailHours = 0
        for file in tradeFiles {
            try HeldFile.reading(file, in: layout) { try read(file, with: &parser, into: &columns) }
            if file.isTail { tailHours += 1 } else { archiveTrades = columns.count }
        }
        if tailHours > 0 {
            Log.info("\(symbol) \(month): \(columns.count - archiveTrades) trades in \(tailHours) hour\(tailHours == 1 ? "" : "s") of the REST tail")
        }
        let threshold = LargeTradeThreshold.threshold(columns.notionals)
        var part = MonthPart(month: month, trades: columns.count, threshold: threshold)
        let flow = HourlyFlow.sums(columns, threshold: threshold, hourCount: parser.hourCount)
        // Only the hours of a day on which a trade falls have a value: 0 without a
        // large trade. A day without any trade is not covered (SPEC "Quirks"). The REST
        // tail's hours are covered by their files, even with no trade.
        let traded = HourlyFlow.tradedDays(columns, count: archiveTrades, hourCount: parser.hourCount)
        var covered = Set<Millis>()
        for (index, day) in month.days.enumerated() where traded[index] {
            for h in 0..<24 { covered.insert(day.startMillis + Millis(h) * Time.hour) }
        }
        for file in tradeFiles where file.isTail { covered.insert(file.period.start) }
        for t in covered {
            part.hours[t, default: MonthPart.Hour()].flow = flow[Int((t - month.startMillis) / Time.hour)]
        }
        reportDays(tradeFiles.filter { !$0.isTail }, traded: traded)
        var metrics = MetricsHours()
        for file in fileList.files(.metrics) {
            try HeldFile.reading(file, in: layout) { try metrics.read(CSVReader(file, in: layout, inflater: inflater)) }
        }
        metrics.store(into: &part)
        var funding = FundingHours()
        for file in fileList.files(.fundingRate) {
            try HeldFile.reading(file, in: layout) { try funding.read(CSVReader(file, in: layout, inflater: inflater)) }
        }
        funding.store(into: &part)
        return part
    }

    /// The month's aggTrades, in file order: its monthly file followed by the daily
    /// files of the days it has no trade on (stage-download lists those), or else its
    /// daily files; daily files by date; then the REST tail's hours, by hour.
    func tradeFiles(_ fileList: VerifiedFileList) -> [ArchiveFile] {
        let files = fileList.files(.aggTrades)
        let monthly = files.filter { if case .month = $0.period { return !$0.isTail } else { return false } }
        let daily = files.filter { if case .day = $0.period { return !$0.isTail } else { return false } }
        let tail = files.filter(\.isTail)
        return monthly + daily.sorted { $0.period < $1.period } + tail.sorted { $0.period < $1.period }
    }

    /// Says which days of the files' periods have no trade at all: those the monthly
    /// file lacks that its daily files filled, and the gaps that stay.
    private func reportDays(_ files: [ArchiveFile], traded: [Bool]) {
        let monthDays = month.days
        func list(_ days: [Day]) -> String { days.map(\.description).joined(separator: " ") }
        let expected = Set(files.flatMap { Array($0.period.days) }.filter { monthDays.contains($0) })
        let gaps = expected.sorted().filter { !traded[monthDays.lowerBound.distance(to: $0)] }
        if let monthly = files.first(where: { if case .month = $0.period { return true } else { return false } }) {
            let filled = files.compactMap { if case .day(let d) = $0.period { return d } else { return nil } }
                .filter { traded[monthDays.lowerBound.distance(to: $0)] }
            if !filled.isEmpty {
                Log.info("\(symbol) \(month): \(monthly.zipName) has no trade on \(filled.count) day\(filled.count == 1 ? "" : "s"), taken from their daily files: \(list(filled))")
            }
        }
        if !gaps.isEmpty {
            Log.warning("\(symbol) \(month): no trade on \(gaps.count) day\(gaps.count == 1 ? "" : "s") in \(files.map(\.zipName).joined(separator: ", ")): no flow_1h value for their hours: \(list(gaps))")
        }
    }

    /// Room for the month's trades up front, from the members' sizes (a trade line is
    /// at least ~40 bytes), so the columns do not grow by copying 400 MB.
    private func estimatedTrades(_ files: [ArchiveFile]) throws -> Int {
        var bytes: UInt64 = 0
        for file in files {
            if file.isTail {
                bytes += UInt64(FileSystem.size(layout.held(file)) ?? 0)
                continue
            }
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
        guard !file.isTail else { return }   // an hour each: said once for all of them
        let seconds = max(Clock.now() - started, 1e-9)
        let megabytes = Double(reader.stream.byteCount) / 1e6
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

    /// Per day of the month: whether at least one of the first `count` trades falls on it.
    static func tradedDays(_ columns: borrowing TradeColumns, count: Int, hourCount: Int) -> [Bool] {
        var traded = [Bool](repeating: false, count: (hourCount + 23) / 24)
        for hour in columns.hours.prefix(count) { traded[Int(hour) / 24] = true }
        return traded
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
