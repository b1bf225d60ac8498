import Common

/// The lists a download leaves for later stages and users, under `download/SYM/`:
///
/// - `months/YYYY-MM.csv`, one per month of the range: the verified files that make
///   up the month (`DownloadPlan.monthContents`), then the REST tail's files of the month
///   (`TailFile`: the hours after the archive's last file), as an VerifiedFileList;
/// - `files.csv`: the union of the month lists. Months hold disjoint files, so any
///   change to a month list changes this file;
/// - `missing.csv`: the files of the plan the archive did not publish;
/// - `trading.csv`: the days the symbol traded, when the listing was read (`TradingSpan`);
/// - `coverage.csv`: the days each held monthly aggTrades/klines file has no row on
///   (`CoverageList`), whose daily files the month lists then name after it.
///
/// Each is rewritten only when its bytes change, so that make redoes the later stages
/// only for what changed. They describe the cache, not the run: a rerun that finds
/// the same files writes nothing.
struct DownloadLists {
    let layout: CacheLayout
    let range: ArchiveRange

    /// Writes the lists of `symbol`; returns the paths that changed.
    @discardableResult
    func write(_ symbol: Symbol, missing: [MissingList.Entry], coverage: [CoverageList.Entry], tail: [ArchiveFile] = [],
               span: TradingSpan? = nil) throws -> [String] {
        let local = LocalArchive(layout: layout)
        var changed: [String] = []
        var all: [VerifiedFileList.Entry] = []
        var days: [ArchiveFile: [Day]] = [:]
        for entry in coverage { days[entry.file] = entry.daysWithoutRows }
        // The tail's files, by month, with their sha256: a month's list changes when they do.
        var tailByMonth: [Month: [VerifiedFileList.Entry]] = [:]
        for file in tail {
            tailByMonth[file.period.month, default: []].append(.init(file: file, sha256: try SHA256Stream.file(layout.held(file))))
        }
        for month in range.months {
            let entries = DownloadPlan.monthContents(symbol, month, range, span: span ?? TradingSpan(), sha256: local.verifiedSHA256,
                                                     daysWithoutRows: { days[$0] ?? [] }) + (tailByMonth[month] ?? [])
            all += entries
            let path = layout.monthList(symbol, month)
            if try AtomicFile.writeIfChanged(VerifiedFileList(entries).text, to: path) { changed.append(path) }
        }
        // The lists of months the range no longer spans go: the cache holds what a
        // clean run of this range would (their zips stay, a cache of the archive).
        let kept = Set(range.months.map { layout.monthList(symbol, $0) })
        let directory = FileSystem.parent(of: layout.monthList(symbol, range.start.month))
        for name in FileSystem.list(directory) where name.hasSuffix(".csv") && !kept.contains("\(directory)/\(name)") {
            try FileSystem.remove("\(directory)/\(name)")
            changed.append("\(directory)/\(name)")
        }
        let files = layout.fileList(symbol)
        if try AtomicFile.writeIfChanged(VerifiedFileList(all).text, to: files) { changed.append(files) }
        let coveragePath = layout.coverageList(symbol)
        if try AtomicFile.writeIfChanged(CoverageList(coverage).text, to: coveragePath) { changed.append(coveragePath) }
        let missingPath = layout.missingList(symbol)
        if try AtomicFile.writeIfChanged(MissingList(missing).text, to: missingPath) { changed.append(missingPath) }
        let spanPath = layout.tradingSpan(symbol)
        if let span {
            if try AtomicFile.writeIfChanged(span.text, to: spanPath) { changed.append(spanPath) }
        } else if FileSystem.exists(spanPath) {
            try FileSystem.remove(spanPath)
            changed.append(spanPath)
        }
        return changed
    }
}
