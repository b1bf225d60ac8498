import ArgumentParser
import Common

@main
struct StageDownload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage-download",
        abstract: "Fetch the range's archive files into CACHE, verified by their sha256.",
        discussion: """
        THE PLAN, per symbol, for the range [1st of the month of END - DAYS, END):
          aggTrades, klines 1h  the monthly file of each month complete before
                                END, or its daily files if the monthly one is
                                not published (HTTP 404); the daily files of
                                END's month, up to the day before END
          metrics               the daily file of every day of the range
          fundingRate           the monthly file of each complete month (there
                                is none daily, nor for a month still running)
        A monthly aggTrades or klines file with no row on some days of its
        month (the archive has published such files) is completed by the
        daily files of those days, fetched in the same run; the days are
        found by one pass over the zip, once per published version.
        --plan prints each planned URL and destination, without any request.

        EACH FILE: its NAME.zip.CHECKSUM, then the zip, streamed to DEST.tmp
        while hashing (SHA-256), compared with the CHECKSUM, and only then
        renamed into place. A zip with its .CHECKSUM beside it is verified; a
        file already there is not asked for again. --jobs files at once.

        THE CACHE (archive/ mirrors data/futures/um/ of the archive):
          archive/monthly/aggTrades/SYM/SYM-aggTrades-YYYY-MM.zip, .CHECKSUM
          archive/daily/metrics/SYM/SYM-metrics-YYYY-MM-DD.zip, …
          download/SYM/months/YYYY-MM.csv  a month's verified files
          download/SYM/files.csv           all of them (dataset,file,sha256)
          download/SYM/missing.csv         not published (dataset,file,url,reason)
          download/SYM/coverage.csv        the days each monthly aggTrades or
                                           klines file has no row on
        The lists are rewritten only when they change: make redoes what follows
        only then.

        FAILURES. HTTP 404 is "not published yet": reported, listed in
        missing.csv, asked for again by the next run; the run goes on (exit 0).
        5xx, 429 (honouring Retry-After), timeouts, resets and short bodies are
        retried with exponential backoff and jitter, up to --attempts requests
        per URL; a zip that does not match its CHECKSUM is fetched once more.
        Anything else, or a last attempt failing, ends the run (exit 1) naming
        the URL: the files verified so far stay, nothing unverified is left
        under a final name, and the lists stay as they were.

        RERUNS. With nothing missing, a rerun makes no request. After a kill, a
        rerun fetches only what is missing; the next day, only the new files.
        --refresh re-reads every CHECKSUM and fetches again what was
        re-published with another hash. --offline makes no request and fails
        naming every planned file the cache lacks (except those the last online
        run found not published: they stay missing).
        """)

    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var symbolOptions: SymbolOptions
    @OptionGroup var rangeOptions: RangeOptions

    @Option(name: .customLong("base-url"), help: ArgumentHelp("Archive root, http or https (make: BASE_URL).", valueName: "url"))
    var baseURL: String = ArchiveURL.standard

    @Option(help: ArgumentHelp("Files downloaded at once (make: JOBS).", valueName: "n"))
    var jobs: Int = 4

    @Option(help: ArgumentHelp("Requests per URL before a transient failure (5xx, 429, timeout, reset, short body) ends the run.", valueName: "n"))
    var attempts: Int = 5

    @Option(help: ArgumentHelp("Seconds to connect, and the longest silence while reading a response.", valueName: "seconds"))
    var timeout: Double = 30

    @Option(help: ArgumentHelp("Seconds to wait after the first failed attempt; doubled after each further one, with jitter.", valueName: "seconds"))
    var backoff: Double = 1

    @Flag(help: "Print each planned file's URL and destination (tab-separated), and make no request.")
    var plan = false

    @Flag(help: "Re-read every CHECKSUM and fetch again the files re-published with another hash.")
    var refresh = false

    @Flag(help: "No network: use the cache only; fail naming every planned file it lacks (make: OFFLINE=1).")
    var offline = false

    @Flag(help: "No progress and no summary; warnings and errors still show (make: QUIET=1).")
    var quiet = false

    @Option(name: .customLong("hash-only"), parsing: .upToNextOption,
            help: ArgumentHelp("Print the SHA-256 of FILEs as sha256sum does, with the download's hashing, and exit (for the benchmark).", visibility: .hidden))
    var hashOnly: [String] = []

    @Option(name: .customLong("days-only"), parsing: .upToNextOption,
            help: ArgumentHelp("Print the days without rows of monthly aggTrades or klines zips (paths ending in monthly/DATASET/SYM/…/NAME.zip) as coverage.csv records them, and exit (for the benchmark).", visibility: .hidden))
    var daysOnly: [String] = []

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1, got \(attempts)") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds, got \(timeout)") }
        guard backoff >= 0, backoff.isFinite else { throw ValidationError("--backoff must be zero or more seconds, got \(backoff)") }
        guard !(offline && refresh) else { throw ValidationError("--offline and --refresh exclude each other: a refresh asks the archive") }
        do { _ = try ArchiveURL(baseURL) } catch let error as UsageError { throw ValidationError(error.message) }
    }

    func run() async throws {
        Log.quiet = quiet
        if !hashOnly.isEmpty {
            for path in hashOnly { print("\(try SHA256Stream.file(path))  \(path)") }
            return
        }
        if !daysOnly.isEmpty {
            for path in daysOnly {
                let parts = path.split(separator: "/")
                guard let start = parts.lastIndex(of: "monthly"),
                      let file = ArchiveFile(path: parts[start...].joined(separator: "/")), CoverageList.checksDays(file) else {
                    throw ValidationError("--days-only: '\(path)' is not a monthly aggTrades or klines zip of the archive's layout")
                }
                let days = try CoverageList.daysWithoutRows(file, zipPath: path)
                print("\(path),\(days.map(\.description).joined(separator: " "))")
            }
            return
        }
        var settings = DownloadSettings()
        settings.jobs = jobs
        settings.retry = RetryPolicy(attempts: attempts, backoff: .milliseconds(Int64(backoff * 1000)))
        settings.timeout = .milliseconds(Int64(timeout * 1000))
        settings.refresh = refresh
        settings.offline = offline
        settings.progress = .standard(quiet: quiet)
        let downloader = Downloader(symbols: try symbolOptions.resolved(), range: try rangeOptions.range(),
                                    layout: cacheOptions.layout, urls: try ArchiveURL(baseURL), settings: settings)
        if plan {
            printPlan(downloader)
            return
        }
        let reports: [Symbol: SymbolReport]
        do {
            reports = try await downloader.run()
        } catch let failure as DownloadFailed {
            for error in failure.errors { Log.error("\(error)") }
            let root = downloader.layout.root
            if offline {
                Log.error("--offline: \(failure.errors.count) planned file(s) not in the cache; run without --offline to fetch them (the lists under \(root)/download are unchanged)")
            } else {
                Log.error("download failed: the files verified so far stay under \(root)/archive; the lists under \(root)/download are unchanged")
            }
            throw ExitCode.failure
        } catch {
            Log.error("\(error)")
            throw ExitCode.failure
        }
        for symbol in downloader.symbols { summarize(symbol, reports[symbol] ?? SymbolReport(), downloader) }
    }

    private func printPlan(_ downloader: Downloader) {
        let lines = downloader.plan()
        for line in lines { print("\(line.url)\t\(line.destination)") }
        let cached = lines.filter(\.cached).count
        Log.info("\(lines.count) files planned for \(downloader.range), \(cached) already in the cache; a monthly file the archive has not published is replaced by its month's daily files, and the days a monthly aggTrades or klines file has no row on by theirs")
    }

    private func summarize(_ symbol: Symbol, _ report: SymbolReport, _ downloader: Downloader) {
        var parts: [String] = []
        if report.fetched > 0 { parts.append("\(report.fetched) fetched, \(Progress.bytes(report.fetchedBytes))") }
        if report.unchanged > 0 { parts.append("\(report.unchanged) re-checked and unchanged") }
        if report.cached > 0 { parts.append("\(report.cached) already in the cache") }
        let how = parts.isEmpty ? "" : ": \(parts.joined(separator: "; "))"
        Log.info("\(symbol): \(report.verified) files verified\(offline ? " (offline)" : "")\(how)")
        for entry in CoverageList(report.coverage).incomplete {
            let days = entry.daysWithoutRows
            Log.info("\(symbol): \(entry.file.zipName) has no row on \(days.count) day\(days.count == 1 ? "" : "s") (\(days.map(\.description).joined(separator: " "))): the daily files of those days are asked for and used where published (\(downloader.layout.coverageList(symbol)))")
        }
        guard !report.missing.isEmpty else { return }
        let n = report.missing.count
        Log.warning("\(symbol): \(n) file\(n == 1 ? "" : "s") not published, listed in \(downloader.layout.missingList(symbol)); a later run asks again:")
        for entry in MissingList(report.missing).entries {
            Log.warning("  \(entry.url): \(entry.reason)")
        }
    }
}
