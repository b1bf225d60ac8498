/// The REST tail's files (SPEC "The REST tail"), one owner for the writer
/// (stage-download) and the readers (stage-flow, stage-prices, stage-report,
/// `pipeline status`): plain CSVs under `CACHE/tail/`, each in its dataset's archive
/// columns with the archive's header row, so `head` and the stages' CSV reader read
/// them as they read an archive member.
///
///     tail/monthly/fundingRate/SYM/SYM-fundingRate-YYYY-MM.csv   the month's settlements
///     tail/daily/klines/SYM/1h/SYM-1h-YYYY-MM-DD.csv             the day's closed hours
///     tail/daily/metrics/SYM/SYM-metrics-YYYY-MM-DD.csv           the day's 5-minute rows
///     tail/hourly/aggTrades/SYM/SYM-aggTrades-YYYY-MM-DDTHH.csv   one closed hour's trades
///
/// A trades file exists only for an hour fetched whole, so an hour with no trade is a
/// file with its header alone (a covered hour, flow 0), and an hour the tail could not
/// afford has no file (not covered, no value). Rows of the other datasets are each
/// their own evidence (a kline per hour, a metrics row per 5 minutes, a settlement),
/// and their files grow as later runs fetch more closed hours.
///
/// **The archive wins**: a tail file whose period the archive's files of the same
/// dataset cover (`isSuperseded`) is removed by the next download, and the lists then
/// name the archive's file instead.
public enum TailFile {
    /// The tail file of `dataset` that holds `hour`.
    public static func file(_ symbol: Symbol, _ dataset: Dataset, holding hour: Hour) -> ArchiveFile {
        let period: Period
        switch dataset {
        case .aggTrades: period = .hour(hour)
        case .klines, .metrics: period = .day(hour.day)
        case .fundingRate: period = .month(hour.day.month)
        }
        return ArchiveFile(symbol: symbol, dataset: dataset, period: period, source: .tail)
    }

    /// The file's text: the dataset's header row, then `lines` (CSV rows without their
    /// newline, in the dataset's columns).
    public static func text(_ dataset: Dataset, lines: [String]) -> String {
        var text = dataset.columns.joined(separator: ",") + "\n"
        for line in lines { text += line + "\n" }
        return text
    }

    /// Writes `lines` to `file` (atomically, only when its bytes change); true when written.
    @discardableResult
    public static func write(_ file: ArchiveFile, lines: [String], in layout: CacheLayout) throws -> Bool {
        precondition(file.isTail, "\(file) is not a tail file")
        return try AtomicFile.writeIfChanged(text(file.dataset, lines: lines), to: layout.held(file))
    }

    /// The data lines of a held tail file, without the header (an absent file: none).
    public static func lines(_ file: ArchiveFile, in layout: CacheLayout) throws -> [String] {
        let path = layout.held(file)
        guard FileSystem.exists(path) else { return [] }
        var lines = try FileSystem.readText(path).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = file.dataset.columns.joined(separator: ",")
        guard lines.first == header else {
            throw DataError(file: path, line: 1, "expected the header '\(header)'")
        }
        lines.removeFirst()
        return lines
    }

    /// Every tail file of `symbol` the cache holds, in time order.
    public static func held(_ symbol: Symbol, in layout: CacheLayout) -> [ArchiveFile] {
        layout.tail(symbol).flatMap { directory in
            FileSystem.list(directory).compactMap { name -> ArchiveFile? in
                let path = "\(directory)/\(name)"
                guard name.hasSuffix(".csv") else { return nil }
                return ArchiveFile(path: String(path.dropFirst(layout.root.count + 1)))
            }
        }.filter { $0.symbol == symbol && $0.isTail }.sorted()
    }

    /// Whether the archive covers `file`'s period: its files of the dataset reach `archiveEnd`.
    public static func isSuperseded(_ file: ArchiveFile, archiveEnd: Millis) -> Bool {
        file.period.end <= archiveEnd
    }
}
