import AsyncHTTPClient
import Common

/// The knobs of a download, with the command line's defaults.
struct DownloadSettings: Sendable {
    /// Files fetched at once.
    var jobs = 4
    var retry = RetryPolicy(attempts: 5, backoff: .seconds(1))
    /// Connect timeout, and the longest silence while reading a response.
    var timeout: Duration = .seconds(30)
    /// Re-read every CHECKSUM and fetch again what was re-published.
    var refresh = false
    /// Hash every held zip against its CHECKSUM; fetch again what differs.
    var verify = false
    /// No network: the plan from the cache alone.
    var offline = false
    var progress: Progress.Style = .silent
    /// How to wait between attempts.
    var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    /// The REST API that fills the archive's unpublished tail; nil: no tail (`TailRun`).
    var restURL: RESTURL? = nil
    /// Request weight each symbol's tail may spend in one run.
    var tailWeight = 1000
    /// The run's clock (milliseconds since the epoch): the tail ends at its last closed hour.
    var now: Millis = Millis(RESTClient.wallClock() * 1000)
}

/// stage-download without the command line: plans the symbols' files, brings them
/// into the cache, and writes the lists (`DownloadLists`).
struct Downloader: Sendable {
    let symbols: [Symbol]
    let range: ArchiveRange
    let layout: CacheLayout
    let urls: ArchiveURL
    var settings = DownloadSettings()
    /// The archive's bucket listing (`--list-url`): each symbol's own klines folders are
    /// listed first, and the days it did not trade are left out of the plan. nil: the
    /// whole range is planned for every symbol.
    var listURL: String? = nil

    /// One line of `--plan`.
    struct PlanLine: Equatable, Sendable {
        let url: String
        let destination: String
        let cached: Bool
    }

    /// The files the plan asks for first, without any request. (A monthly file that
    /// turns out not to be published is then replaced by its daily files.)
    func plan() -> [PlanLine] {
        let local = LocalArchive(layout: layout)
        let spans = (try? cachedSpans()) ?? [:]
        return symbols.flatMap { symbol in
            DownloadPlan.files(symbol, range, span: spans[symbol] ?? TradingSpan()).map {
                PlanLine(url: urls.zip($0.file), destination: layout.archive($0.file), cached: local.isPresent($0.file))
            }
        }
    }

    /// Runs the download and writes every symbol's lists. Throws DownloadFailed (and
    /// leaves the lists as they were) when a file could not be brought in.
    func run() async throws -> [Symbol: SymbolReport] {
        let local = LocalArchive(layout: layout)
        for symbol in symbols { try local.removeTemporaryFiles(symbol) }
        let progress = Progress(label: symbols.map(\.full).joined(separator: " "),
                                style: settings.offline ? .silent : settings.progress)
        var run = DownloadRun(symbols: symbols, range: range, layout: layout, jobs: settings.offline ? 1 : settings.jobs,
                              refresh: settings.refresh, verify: settings.verify, stopAtFirstError: !settings.offline,
                              coverage: .recorded(symbols, in: layout))
        var reports: [Symbol: SymbolReport]
        var spans: [Symbol: TradingSpan]? = nil
        if settings.offline {
            spans = try cachedSpans()
            run.spans = spans ?? [:]
            let known = try knownMissing()
            reports = try await run.run(CachedArchiveSource(layout: layout, knownMissing: known), progress: progress)
            for symbol in symbols {
                reports[symbol]?.tail = try heldTail(symbol, span: spans?[symbol] ?? TradingSpan(), knownMissing: known)
            }
        } else {
            let planned = run
            (reports, spans) = try await HTTPClient.withHTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                                                   configuration: clientConfiguration) { client in
                var run = planned
                let source = HTTPArchiveSource(client: client, urls: urls, layout: layout, retry: settings.retry,
                                               timeout: settings.timeout, progress: progress, sleep: settings.sleep)
                var spans: [Symbol: TradingSpan]? = nil
                if let listURL {
                    // A rerun whose plan the cache already holds whole asks nothing, the listing included.
                    if !settings.refresh, let cached = try cachedSpans(), symbols.allSatisfy({ symbol in
                        cached[symbol].map { span in DownloadPlan.files(symbol, range, span: span).allSatisfy { local.isPresent($0.file) } } ?? false
                    }) {
                        spans = cached
                    } else {
                        do {
                            spans = try await tradingSpans(BucketLister(listURL: listURL, http: source))
                        } catch let failure as ListingFailed {
                            // The listing only narrows the plan: without it (a plain mirror that
                            // answers no listing, S3 down) every day of the range is asked for.
                            spans = try cachedSpans()
                            progress.warning("\(failure); planning \(spans == nil ? "every day of the range" : "the days the last listing showed") (LIST_URL= skips the listing)")
                        }
                    }
                    run.spans = spans ?? [:]
                }
                var reports = try await run.run(source, progress: progress)
                try await fetchTail(&reports, spans: spans ?? [:], client: client, progress: progress)
                return (reports, spans)
            }
        }
        progress.finish()
        // A symbol of which not one file was verified is a name the archive does not
        // know (a typo, or a symbol not trading in the range): no lists for it.
        let empty = symbols.filter { (reports[$0]?.verified ?? 0) == 0 }
        let lists = DownloadLists(layout: layout, range: range)
        for symbol in symbols where !empty.contains(symbol) {
            let report = reports[symbol] ?? SymbolReport()
            try lists.write(symbol, missing: report.missing + (report.tail?.missing ?? []), coverage: report.coverage,
                            tail: report.tail?.files ?? [], span: spans?[symbol])
        }
        if !empty.isEmpty { throw NoFileInRange(symbols: empty, range: range, listed: spans != nil) }
        return reports
    }

    // MARK: the REST tail

    var tailRun: TailRun { TailRun(layout: layout, range: range, now: settings.now, budget: settings.tailWeight) }

    /// Per dataset, the end of the latest archive file of `symbol`'s plan that the cache holds.
    func archiveEnd(_ symbol: Symbol, span: TradingSpan) -> [Dataset: Millis] {
        let local = LocalArchive(layout: layout)
        var end: [Dataset: Millis] = [:]
        for month in range.months {
            for entry in DownloadPlan.monthContents(symbol, month, range, span: span, sha256: local.verifiedSHA256) {
                end[entry.file.dataset] = max(end[entry.file.dataset] ?? .min, entry.file.period.end)
            }
        }
        return end
    }

    /// Online: each symbol's tail fetched (`TailRun`), after its archive files; with no
    /// REST URL, the tail's files removed (the tail is off). 418, 451, an unreachable API
    /// or a persistent failure stop the tail for the remaining symbols: one warning.
    func fetchTail(_ reports: inout [Symbol: SymbolReport], spans: [Symbol: TradingSpan], client: HTTPClient, progress: Progress) async throws {
        let run = tailRun
        var stopped: TailStopped? = nil
        for symbol in symbols {
            let span = spans[symbol] ?? TradingSpan()
            let archiveEnd = archiveEnd(symbol, span: span)
            guard let rest = settings.restURL else {
                _ = try run.prune(symbol, archiveEnd: archiveEnd, keep: false)
                continue
            }
            _ = try run.prune(symbol, archiveEnd: archiveEnd)
            // A name of which the archive has no file (a typo) is an error below: no tail asked.
            guard (reports[symbol]?.verified ?? 0) > 0 else { continue }
            let windows = run.windows(archiveEnd: archiveEnd, span: span)
            var report: TailReport
            if let stopped {
                report = try run.held(symbol, windows, rest: rest, failures: [:],
                                      otherwise: TailRun.reason("the REST tail stopped (\(stopped.reason.prefix { $0 != ";" }))"))
            } else {
                let weight = RequestWeight(budget: settings.tailWeight)
                let retry = RetryPolicy(attempts: min(settings.retry.attempts, 3), backoff: settings.retry.backoff)
                let rest = RESTClient(client: client, urls: rest, timeout: settings.timeout, retry: retry, weight: weight, sleep: settings.sleep)
                do {
                    report = try await run.fetch(symbol, windows, rest: rest, progress: progress)
                } catch let halt as TailRunStopped {
                    stopped = halt.stop
                    report = halt.report
                    progress.warning("\(halt.stop)")
                }
            }
            report.files = try run.prune(symbol, archiveEnd: archiveEnd)
            reports[symbol, default: SymbolReport()].tail = report
        }
    }

    /// Offline: the tail files held (those the archive now covers removed), and the tail's
    /// missing files of the last online run that are still not held.
    func heldTail(_ symbol: Symbol, span: TradingSpan, knownMissing: [ArchiveFile: MissingList.Entry]) throws -> TailReport? {
        let run = tailRun
        let archiveEnd = archiveEnd(symbol, span: span)
        guard settings.restURL != nil else {
            _ = try run.prune(symbol, archiveEnd: archiveEnd, keep: false)
            return nil
        }
        let files = try run.prune(symbol, archiveEnd: archiveEnd)
        let windows = run.windows(archiveEnd: archiveEnd, span: span)
        var report = try run.held(symbol, windows, rest: settings.restURL, failures: [:], otherwise: "not fetched (offline)")
        report.missing = report.missing.map { knownMissing[$0.file] ?? $0 }
        report.files = files
        return report
    }

    /// The days each symbol traded in the range, from the listing of its own 1h klines
    /// folders (`monthly/…/` whole, `daily/…/` from the range start on): two requests
    /// a symbol (more for a folder of over 1,000 files), none per file. A symbol with
    /// no file there at all is an error naming it.
    func tradingSpans(_ lister: BucketLister) async throws -> [Symbol: TradingSpan] {
        var spans: [Symbol: TradingSpan] = [:]
        var unknown: [Symbol] = []
        for symbol in symbols {
            let dailyPrefix = VerifiedFileListPath.files("daily", .klines, symbol)
            let daily = try await lister.list(prefix: dailyPrefix, marker: "\(dailyPrefix)\(symbol.full)-1h-\(range.start)")
            let monthly = try await lister.list(prefix: VerifiedFileListPath.files("monthly", .klines, symbol))
            let days = daily.objects.compactMap { ArchiveFile(path: String($0.key.dropFirst(VerifiedFileListPath.root.count))) }
                .filter { $0.symbol == symbol }.compactMap { file -> Day? in if case .day(let d) = file.period { return d } else { return nil } }
            let months = monthly.objects.compactMap { ArchiveFile(path: String($0.key.dropFirst(VerifiedFileListPath.root.count))) }
                .filter { $0.symbol == symbol }.map(\.period.month)
            guard let span = TradingSpan.from(days: days, months: months, range: range), span.tradesIn(range) else {
                unknown.append(symbol)
                continue
            }
            spans[symbol] = span
        }
        if !unknown.isEmpty { throw NoFileInRange(symbols: unknown, range: range, listed: true) }
        return spans
    }

    /// `--offline` and `--plan`: the spans the last online run found (`trading.csv`).
    func cachedSpans() throws -> [Symbol: TradingSpan]? {
        var spans: [Symbol: TradingSpan] = [:]
        for symbol in symbols where FileSystem.exists(layout.tradingSpan(symbol)) {
            spans[symbol] = try TradingSpan.read(layout.tradingSpan(symbol))
        }
        return spans.isEmpty ? nil : spans
    }

    var clientConfiguration: HTTPClient.Configuration {
        let timeout = HTTPArchiveSource.timeAmount(settings.timeout)
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: 5, allowCycles: false),
            timeout: .init(connect: timeout, read: timeout),
            decompression: .disabled)
        configuration.connectionPool = .init(idleTimeout: .seconds(60),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, settings.jobs))
        // A host that cannot be resolved or refuses the connection fails the request at
        // once (`Unreachable`), rather than being asked again until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// `--offline`: what the last online runs found not published, by file.
    func knownMissing() throws -> [ArchiveFile: MissingList.Entry] {
        var known: [ArchiveFile: MissingList.Entry] = [:]
        for symbol in symbols {
            let path = layout.missingList(symbol)
            guard FileSystem.exists(path) else { continue }
            for entry in try MissingList.read(path).entries { known[entry.file] = entry }
        }
        return known
    }
}
