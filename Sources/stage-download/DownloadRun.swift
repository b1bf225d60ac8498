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

    var verified: Int { cached + fetched + unchanged }
}

/// Brings every symbol's planned files into the cache: the files already there are
/// kept without a request (all of them re-checked with `refresh`); the others are
/// fetched from `source`, at most `jobs` at a time. A monthly file that is not
/// published is replaced by its month's daily files, which join the queue.
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

    private struct Job: Sendable {
        let symbol: Symbol
        let planned: PlannedFile
        /// The cached copy's sha256, to re-check (`refresh`); nil: not in the cache.
        let known: String?
    }

    func run(_ source: some ArchiveSource, progress: Progress) async throws -> [Symbol: SymbolReport] {
        let local = LocalArchive(layout: layout)
        var reports: [Symbol: SymbolReport] = [:]
        var queue: [Job] = []

        /// Queues `planned` unless the cache holds it (and no refresh is asked).
        /// A held file that is to be checked and turns out different is queued anew.
        func plan(_ planned: PlannedFile, of symbol: Symbol) throws {
            var cached = local.verifiedSHA256(planned.file)
            if let sha = cached, verify || local.isSuspect(planned.file) {
                let suspect = local.isSuspect(planned.file)
                if try !local.recheck(planned.file, against: sha) {
                    reports[symbol, default: SymbolReport()].healed.append(planned.file)
                    cached = nil
                } else if suspect {
                    reports[symbol, default: SymbolReport()].brokenAtSource.append(planned.file)
                }
            }
            if cached != nil && !refresh {
                reports[symbol, default: SymbolReport()].cached += 1
            } else {
                queue.append(Job(symbol: symbol, planned: planned, known: cached))
                progress.add(items: 1)
            }
        }

        for symbol in symbols {
            reports[symbol] = SymbolReport()
            for planned in DownloadPlan.files(symbol, range, span: spans[symbol] ?? TradingSpan()) { try plan(planned, of: symbol) }
        }

        var errors: [any Error] = []
        await withTaskGroup(of: (Job, Result<FetchOutcome, any Error>).self) { group in
            var next = 0
            var running = 0
            while true {
                // Invariant: at most `jobs` fetches run; none starts after a failure.
                while running < jobs, next < queue.count, errors.isEmpty || !stopAtFirstError {
                    let job = queue[next]
                    next += 1
                    running += 1
                    group.addTask {
                        do {
                            return (job, .success(try await source.fetch(job.planned.file, known: job.known)))
                        } catch {
                            return (job, .failure(error))
                        }
                    }
                }
                guard running > 0, let (job, result) = await group.next() else { break }
                running -= 1
                progress.itemFinished()
                switch result {
                case .success(.verified(_, let bytes)):
                    if let bytes {
                        reports[job.symbol]!.fetched += 1
                        reports[job.symbol]!.fetchedBytes += bytes
                    } else {
                        reports[job.symbol]!.unchanged += 1
                    }
                case .success(.notPublished(let url, let reason)):
                    let fallback = job.planned.fallback
                    let why = fallback.isEmpty ? reason : "\(reason); the month uses its daily files"
                    reports[job.symbol]!.missing.append(MissingList.Entry(file: job.planned.file, url: url, reason: why))
                    do {
                        for day in fallback { try plan(PlannedFile(file: day, fallback: []), of: job.symbol) }
                    } catch {
                        errors.append(error)
                        if stopAtFirstError { group.cancelAll() }
                    }
                case .failure(let error):
                    // Cancelled fetches after a failure are its consequence, not news.
                    if error is CancellationError && !errors.isEmpty { continue }
                    errors.append(error)
                    if stopAtFirstError { group.cancelAll() }
                }
            }
        }
        if !errors.isEmpty { throw DownloadFailed(errors: errors) }
        return reports
    }
}
