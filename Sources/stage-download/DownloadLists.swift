import Common

/// The lists a download leaves for later stages and users, under `download/SYM/`:
///
/// - `months/YYYY-MM.csv`, one per month of the range: the verified files that make
///   up the month (`DownloadPlan.monthContents`), as an ArchiveListing;
/// - `files.csv`: the union of the month lists. Months hold disjoint files, so any
///   change to a month list changes this file;
/// - `missing.csv`: the files of the plan the archive did not publish;
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
    func write(_ symbol: Symbol, missing: [MissingList.Entry], coverage: [CoverageList.Entry]) throws -> [String] {
        let local = LocalArchive(layout: layout)
        var changed: [String] = []
        var all: [ArchiveListing.Entry] = []
        var days: [ArchiveFile: [Day]] = [:]
        for entry in coverage { days[entry.file] = entry.daysWithoutRows }
        for month in range.months {
            let entries = DownloadPlan.monthContents(symbol, month, range, sha256: local.verifiedSHA256,
                                                     daysWithoutRows: { days[$0] ?? [] })
            all += entries
            let path = layout.monthList(symbol, month)
            if try AtomicFile.writeIfChanged(ArchiveListing(entries).text, to: path) { changed.append(path) }
        }
        let files = layout.fileList(symbol)
        if try AtomicFile.writeIfChanged(ArchiveListing(all).text, to: files) { changed.append(files) }
        let coveragePath = layout.coverageList(symbol)
        if try AtomicFile.writeIfChanged(CoverageList(coverage).text, to: coveragePath) { changed.append(coveragePath) }
        let missingPath = layout.missingList(symbol)
        if try AtomicFile.writeIfChanged(MissingList(missing).text, to: missingPath) { changed.append(missingPath) }
        return changed
    }
}
