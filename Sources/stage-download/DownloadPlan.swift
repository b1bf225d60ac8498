import Common

/// One file the plan asks the archive for.
struct PlannedFile: Sendable, Equatable, CustomStringConvertible {
    let file: ArchiveFile
    /// What stands in for `file` when the archive has not published it (HTTP 404): for
    /// a complete month's monthly aggTrades or klines file, the daily files of that
    /// month. Empty for every other file.
    let fallback: [ArchiveFile]
    /// For the daily file of a day a held monthly file has no row on: that monthly file.
    var completes: ArchiveFile? = nil

    var description: String { file.path }
}

/// Which files make up a symbol's range (SPEC "Sources", "The range"):
///
/// - aggTrades and 1h klines: the monthly file of each month that is complete before
///   END (its daily files if the monthly one is not published), and the daily files
///   of END's own month, up to the day before END;
/// - metrics: the daily file of every day in the range;
/// - fundingRate: the monthly file of each complete month. The archive has no daily
///   funding file, and no monthly one for a month still running;
/// - the daily aggTrades and klines files of the days a monthly file turns out to have
///   no row on (`CoverageList`), once that file is verified (`completing`).
///
/// A symbol that traded only part of the range (`span`: listed after its start, or
/// delisted before END) has no file planned for the days it did not trade: the months
/// without a trading day are left out, and so are the daily files of other days.
enum DownloadPlan {
    static func files(_ symbol: Symbol, _ range: ArchiveRange, span: TradingSpan = TradingSpan()) -> [PlannedFile] {
        var plan: [PlannedFile] = []
        for dataset in Dataset.allCases {
            for month in range.months {
                plan += files(symbol, dataset, month, range, span: span)
            }
        }
        return plan
    }

    static func files(_ symbol: Symbol, _ dataset: Dataset, _ month: Month, _ range: ArchiveRange,
                      span: TradingSpan = TradingSpan()) -> [PlannedFile] {
        guard span.overlaps(month) else { return [] }
        let days = range.days(of: month).filter(span.contains).map { ArchiveFile(symbol: symbol, dataset: dataset, period: .day($0)) }
        let monthly = ArchiveFile(symbol: symbol, dataset: dataset, period: .month(month))
        switch dataset {
        case .aggTrades, .klines:
            if range.isComplete(month) { return [PlannedFile(file: monthly, fallback: days)] }
            return days.map { PlannedFile(file: $0, fallback: []) }
        case .metrics:
            return days.map { PlannedFile(file: $0, fallback: []) }
        case .fundingRate:
            return range.isComplete(month) ? [PlannedFile(file: monthly, fallback: [])] : []
        }
    }

    /// The daily files that stand in for the days of `monthly` it has no row on.
    static func completing(_ monthly: ArchiveFile, daysWithoutRows: [Day], _ range: ArchiveRange) -> [PlannedFile] {
        daysWithoutRows.filter { range.start <= $0 && $0 < range.end }.map {
            PlannedFile(file: ArchiveFile(symbol: monthly.symbol, dataset: monthly.dataset, period: .day($0)),
                        fallback: [], completes: monthly)
        }
    }

    /// The verified files that make up `month` of `symbol` in the cache, all four
    /// datasets: a complete month's monthly aggTrades/klines file when the cache holds
    /// it, followed by the held daily files of the days it has no row on; else the
    /// daily files of the month's days in range that it holds; the metrics dailies it
    /// holds; the fundingRate monthly if held. `sha256` answers for the cache (nil: not
    /// held), `daysWithoutRows` for a held monthly file (`CoverageList`).
    static func monthContents(_ symbol: Symbol, _ month: Month, _ range: ArchiveRange, span: TradingSpan = TradingSpan(),
                              sha256: (ArchiveFile) -> String?,
                              daysWithoutRows: (ArchiveFile) -> [Day] = { _ in [] }) -> [VerifiedFileList.Entry] {
        var entries: [VerifiedFileList.Entry] = []
        for dataset in Dataset.allCases {
            for planned in files(symbol, dataset, month, range, span: span) {
                if let sha = sha256(planned.file) {
                    entries.append(.init(file: planned.file, sha256: sha))
                    for day in completing(planned.file, daysWithoutRows: daysWithoutRows(planned.file), range) {
                        if let sha = sha256(day.file) { entries.append(.init(file: day.file, sha256: sha)) }
                    }
                } else {
                    for day in planned.fallback {
                        if let sha = sha256(day) { entries.append(.init(file: day, sha256: sha)) }
                    }
                }
            }
        }
        return entries
    }
}
