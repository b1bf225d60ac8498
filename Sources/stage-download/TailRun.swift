import Common

/// What the REST tail did for one symbol, and what it holds after the run.
struct TailReport: Sendable, Equatable {
    var requests = 0
    var weight = 0
    /// Per dataset, the hours of its window the tail's files cover after the run
    /// (fundingRate: the settlements they hold).
    var covered: [Dataset: Int] = [:]
    /// Per dataset, the end of the last hour the tail's files cover.
    var coveredUntil: [Dataset: Millis] = [:]
    /// The files of the windows the tail does not hold, and why (for missing.csv).
    var missing: [MissingList.Entry] = []
    /// The tail files the lists name: held, inside the range, not yet covered by the archive.
    var files: [ArchiveFile] = []
}

/// The REST tail of one run (SPEC "The REST tail"): for each symbol, the files of its
/// windows (`TailWindows`) fetched from the API and written under `CACHE/tail/`
/// (`TailFile`). Funding first (always: one request a month of settlements), then
/// klines, metrics, and the trades of each hour without a file, oldest first, while
/// the symbol's budget lasts. Only values the exchange sent are written: an hour that
/// could not be fetched has no file and is listed as missing with the reason.
///
/// Nothing here fails the run but the cache itself (a file that cannot be written): a
/// dataset whose answers are wrong stops for its symbol, with a warning; 418, 451, an
/// unreachable API or a persistent failure stop the tail for every symbol, with one.
struct TailRun: Sendable {
    let layout: CacheLayout
    let range: ArchiveRange
    /// The run's clock, milliseconds since the epoch: the tail ends at its last closed hour.
    let now: Millis
    /// Request weight each symbol's tail may spend (`--tail-weight`).
    let budget: Int

    /// The windows of `symbol`, given the end of each dataset's archive files in the cache.
    func windows(archiveEnd: [Dataset: Millis], span: TradingSpan) -> TailWindows {
        TailWindows(archiveEnd: archiveEnd, range: range, span: span, now: now)
    }

    /// Removes the held tail files of `symbol` that the archive now covers or that lie
    /// outside the range (or all of them: `keep` false, the tail is off); returns the rest.
    func prune(_ symbol: Symbol, archiveEnd: [Dataset: Millis], keep: Bool = true) throws -> [ArchiveFile] {
        var kept: [ArchiveFile] = []
        for file in TailFile.held(symbol, in: layout) {
            let inRange = file.period.end > range.start.startMillis && file.period.start < range.end.startMillis
            if keep, inRange, !TailFile.isSuperseded(file, archiveEnd: archiveEnd[file.dataset] ?? .min) {
                kept.append(file)
            } else {
                try FileSystem.remove(layout.held(file))
            }
        }
        return kept
    }

    /// Fetches `symbol`'s windows with `rest`, writes its files, and reports. Throws only
    /// what stops the whole tail (`TailStopped`, after writing what was fetched) or
    /// what fails the run (a file error, cancellation).
    func fetch(_ symbol: Symbol, _ windows: TailWindows, rest: RESTClient, progress: Progress) async throws -> TailReport {
        let fetcher = TailFetcher(symbol: symbol, rest: rest)
        var failures: [Dataset: String] = [:]
        var stop: TailStopped?
        /// Runs one dataset's fetch; records why it failed, and whether the tail must stop.
        func attempt(_ dataset: Dataset, _ body: () async throws -> Void) async throws {
            guard stop == nil, windows[dataset] != nil else { return }
            do {
                try await body()
            } catch let stopped as TailStopped {
                stop = stopped
                failures[dataset] = Self.reason("the REST tail stopped (\(stopped.reason.prefix { $0 != ";" }))")
            } catch let failed as TailRequestFailed {
                progress.warning("\(symbol) \(dataset) tail: \(failed); its hours stay absent this run")
                failures[dataset] = Self.reason("the REST API's answer was wrong (\(failed.reason.prefix(80)))")
            } catch is OverBudget {
                failures[dataset] = "over the tail's budget (TAIL_WEIGHT=\(budget))"
            }
        }

        try await attempt(.fundingRate) {
            let settlements = try await fetcher.settlements(windows[.fundingRate]!)
            for file in windows.files(symbol, .fundingRate) {
                let lines = settlements.filter { file.period.start <= $0.fundingTime && $0.fundingTime < file.period.end }.map(\.line)
                try TailFile.write(file, lines: lines, in: layout)
            }
        }
        try await attempt(.klines) {
            let klines = try await fetcher.klines(windows[.klines]!)
            for file in windows.files(symbol, .klines) {
                try TailFile.write(file, lines: klines.filter { file.period.start <= $0.openTime && $0.openTime < file.period.end }.map(\.line), in: layout)
            }
        }
        try await attempt(.metrics) {
            let rows = try await fetcher.metrics(windows[.metrics]!)
            for file in windows.files(symbol, .metrics) {
                try TailFile.write(file, lines: rows.filter { file.period.start <= $0.time && $0.time < file.period.end }.map(\.line), in: layout)
            }
        }
        try await attempt(.aggTrades) {
            let wanted = windows.files(symbol, .aggTrades).filter { !FileSystem.exists(layout.held($0)) }
            progress.add(items: wanted.count)
            for file in wanted {
                guard case .hour(let hour) = file.period else { continue }
                let trades = try await fetcher.trades(hour)
                try TailFile.write(file, lines: trades.map(\.line), in: layout)
                progress.itemFinished()
            }
        }
        let otherwise = stop.map { Self.reason("the REST tail stopped (\($0.reason.prefix { $0 != ";" }))") } ?? "not fetched"
        var report = try held(symbol, windows, rest: rest.urls, failures: failures, otherwise: otherwise)
        report.requests = await rest.weight.requests
        report.weight = await rest.weight.spent
        if let stop { throw TailRunStopped(stop: stop, report: report) }
        return report
    }

    /// What the tail holds of `symbol`'s windows, and the files it lacks (`failures`:
    /// why each dataset's fetch failed this run; a dataset without one was not asked,
    /// `offline` or after the tail stopped: `otherwise` says why).
    func held(_ symbol: Symbol, _ windows: TailWindows, rest: RESTURL?, failures: [Dataset: String],
              otherwise: String = "not fetched") throws -> TailReport {
        var report = TailReport()
        for dataset in Dataset.allCases {
            guard let window = windows[dataset] else { continue }
            var hours = Set<Millis>(), settlements = 0
            for file in windows.files(symbol, dataset) {
                guard FileSystem.exists(layout.held(file)) else {
                    let url = rest.map { Self.url($0, symbol, file, window) } ?? "-"
                    report.missing.append(MissingList.Entry(file: file, url: url, reason: failures[dataset] ?? otherwise))
                    continue
                }
                if dataset == .aggTrades {
                    hours.insert(file.period.start)
                    continue
                }
                for line in try TailFile.lines(file, in: layout) {
                    guard let stamp = Self.time(line, dataset), window.contains(stamp) else { continue }
                    if dataset == .fundingRate { settlements += 1 }
                    hours.insert(Time.hourStart(stamp))
                }
            }
            report.covered[dataset] = dataset == .fundingRate ? settlements : hours.count
            if let last = hours.max() { report.coveredUntil[dataset] = last + Time.hour }
        }
        return report
    }

    /// A reason for missing.csv: one line, no comma (its fields hold none).
    static func reason(_ text: String) -> String {
        String(text.map { $0 == "," || $0 == "\n" ? " " : $0 })
    }

    /// The time of a tail line: its first field (milliseconds, or metrics' text).
    private static func time(_ line: String, _ dataset: Dataset) -> Millis? {
        let field = String(line.prefix { $0 != "," })
        return dataset == .metrics ? Time.parseISO(field) : Millis(field)
    }

    /// The request that fetches `file`'s hours of `window`, for missing.csv.
    static func url(_ rest: RESTURL, _ symbol: Symbol, _ file: ArchiveFile, _ window: Range<Millis>) -> String {
        let start = max(file.period.start, window.lowerBound), end = min(file.period.end, window.upperBound) - 1
        let base = [("symbol", symbol.full), ("startTime", "\(start)"), ("endTime", "\(end)")]
        switch file.dataset {
        case .aggTrades: return rest.url("/fapi/v1/aggTrades", base + [("limit", "\(TailFetcher.tradesPage)")])
        case .klines: return rest.url("/fapi/v1/klines", [base[0], ("interval", "1h")] + base.dropFirst())
        case .metrics: return rest.url("/futures/data/openInterestHist", [base[0], ("period", "5m")] + base.dropFirst())
        case .fundingRate: return rest.url("/fapi/v1/fundingRate", base)
        }
    }
}

/// The tail stopped while fetching a symbol: why, and what that symbol holds.
struct TailRunStopped: Error, Sendable {
    let stop: TailStopped
    let report: TailReport
}
