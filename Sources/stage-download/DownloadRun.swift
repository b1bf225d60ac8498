import Common

/// What one run did for one symbol.
struct SymbolReport: Sendable, Equatable {
    /// Files of the plan that were already in the cache and not asked for.
    var cached = 0
    /// Files that came over the network, and their bytes.
    var fetched = 0
    var fetchedBytes: Int64 = 0
    /// Files whose published CHECKSUM was re-read (`--refresh`) and still matched.
    var unchanged = 0
    /// Held files whose bytes no longer matched their CHECKSUM (`--verify`, or marked
    /// suspect by a stage that could not read them): removed and fetched again.
    var healed: [ArchiveFile] = []
    /// Held files marked suspect whose bytes do match: the archive's own copy is broken.
    var brokenAtSource: [ArchiveFile] = []
    /// Files of the plan the archive did not publish (HTTP 404).
    var missing: [MissingList.Entry] = []
    /// The days each held monthly aggTrades/klines file has no row on (`CoverageList`).
    var coverage: [CoverageList.Entry] = []
    /// What the REST tail did and holds (nil: the tail is off).
    var tail: TailReport? = nil

    var verified: Int { cached + fetched + unchanged }
}

/// Brings every symbol's planned files into the cache: the files already there are
/// kept without a request (all of them re-checked with `refresh`); the others are
/// fetched from `source`, at most `jobs` at a time. A monthly file that is not
/// published is replaced by its month's daily files, which join the queue. A held
/// monthly aggTrades or klines file is checked for days without a row (once per
/// sha256, `FileCoverage`), and the daily files of those days join the queue: one
/// run fetches what a month is made of.
///
/// A failure ends the run: no new file is started, the files in flight are cancelled
/// (their temporary files removed), and the failure is thrown once the rest has
/// stopped; every file verified so far stays. With `stopAtFirstError` false (the
/// offline check, which is instant), every file is tried and every failure reported.
struct DownloadRun: Sendable {
    let symbols: [Symbol]
    let range: ArchiveRange
    let layout: CacheLayout
    /// The days each symbol traded, where the listing says it traded less than the range.
    var spans: [Symbol: TradingSpan] = [:]
    var jobs = 4
    var refresh = false
    /// Hash every held file against its CHECKSUM (suspect files are always hashed).
    var verify = false
    var stopAtFirstError = true
    /// What earlier runs found about the held monthly files' days.
    let coverage: FileCoverage

    private struct Job: Sendable {
        let symbol: Symbol
        let planned: PlannedFile
        /// The cached copy's sha256, to re-check (`refresh`); nil: not in the cache.
        let known: String?
        /// Held and not asked for: only its days are to be checked.
        var checkOnly = false
    }

    func run(_ source: some ArchiveSource, progress: Progress) async throws -> [Symbol: SymbolReport] {
        let local = LocalArchive(layout: layout)
        var reports: [Symbol: SymbolReport] = [:]
        var queue: [Job] = []

        /// Queues `planned` unless the cache holds it (and no refresh is asked).
        /// A held file that is to be checked and turns out different is queued anew.
        func plan(_ planned: PlannedFile, of symbol: Symbol) throws {
            var cached = local.verifiedSHA256(planned.file)
            let suspect = cached != nil && local.isSuspect(planned.file)
            if let sha = cached, verify || suspect {
                if try !local.recheck(planned.file, against: sha) {
                    reports[symbol, default: SymbolReport()].healed.append(planned.file)
                    cached = nil
                } else if suspect {
                    reports[symbol, default: SymbolReport()].brokenAtSource.append(planned.file)
                }
            }
            if let cached, !refresh {
                reports[symbol, default: SymbolReport()].cached += 1
                guard CoverageList.checksDays(planned.file) else { return }
                if let entry = coverage.known(planned.file, sha256: cached) {
                    try covered(entry, of: symbol)
                } else {
                    queue.append(Job(symbol: symbol, planned: planned, known: cached, checkOnly: true))
                    progress.add(items: 1)
                }
            } else {
                queue.append(Job(symbol: symbol, planned: planned, known: cached))
                progress.add(items: 1)
            }
        }

        /// Records a monthly file's days and plans the daily files of those it lacks.
        func covered(_ entry: CoverageList.Entry, of symbol: Symbol) throws {
            reports[symbol]!.coverage.append(entry)
            for day in DownloadPlan.completing(entry.file, daysWithoutRows: entry.daysWithoutRows, range) { try plan(day, of: symbol) }
        }

        for symbol in symbols {
            reports[symbol] = SymbolReport()
            for planned in DownloadPlan.files(symbol, range, span: spans[symbol] ?? TradingSpan()) { try plan(planned, of: symbol) }
        }

        var errors: [any Error] = []
        await withTaskGroup(of: (Job, Result<(FetchOutcome, CoverageList.Entry?), any Error>).self) { group in
            var next = 0
            var running = 0
            while true {
                // Invariant: at most `jobs` fetches run; none starts after a failure.
                while running < jobs, next < queue.count, errors.isEmpty || !stopAtFirstError {
                    let job = queue[next]
                    next += 1
                    running += 1
                    group.addTask { [coverage = self.coverage] in
                        do {
                            let outcome: FetchOutcome
                            if job.checkOnly, let known = job.known {
                                outcome = .verified(sha256: known, fetchedBytes: nil)
                            } else {
                                outcome = try await source.fetch(job.planned.file, known: job.known)
                            }
                            guard case .verified(let sha256, _) = outcome, CoverageList.checksDays(job.planned.file) else {
                                return (job, .success((outcome, nil)))
                            }
                            return (job, .success((outcome, await coverage.entryOffThePool(job.planned.file, sha256: sha256))))
                        } catch {
                            return (job, .failure(error))
                        }
                    }
                }
                guard running > 0, let (job, result) = await group.next() else { break }
                running -= 1
                progress.itemFinished()
                do {
                    // Planning what a result calls for (a month's daily files) can throw
                    // while checking a held file: that ends the run like a failed fetch.
                    switch result {
                    case .success((.verified(_, let bytes), let entry)):
                        if let bytes {
                            reports[job.symbol]!.fetched += 1
                            reports[job.symbol]!.fetchedBytes += bytes
                        } else if !job.checkOnly {  // a check-only job was counted as cached
                            reports[job.symbol]!.unchanged += 1
                        }
                        if let entry { try covered(entry, of: job.symbol) }
                    case .success((.notPublished(let url, let reason), _)):
                        let fallback = job.planned.fallback
                        var why = reason
                        if !fallback.isEmpty { why += "; the month uses its daily files" }
                        if let monthly = job.planned.completes { why += "; \(monthly.zipName) has no row on this day: it stays a gap" }
                        reports[job.symbol]!.missing.append(MissingList.Entry(file: job.planned.file, url: url, reason: why))
                        for day in fallback { try plan(PlannedFile(file: day, fallback: []), of: job.symbol) }
                    case .failure(let error):
                        // Cancelled fetches after a failure are its consequence, not news.
                        if error is CancellationError && !errors.isEmpty { continue }
                        throw error
                    }
                } catch {
                    errors.append(error)
                    if stopAtFirstError { group.cancelAll() }
                }
            }
        }
        if !errors.isEmpty { throw DownloadFailed(errors: errors) }
        return reports
    }
}
