import ArgumentParser
import AsyncHTTPClient
import Common
import Foundation

@main
struct StageDownload: AsyncParsableCommand {
    static func main() async { await StageEntry.mainAsync(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "stage-download",
        abstract: "Fetch the range's archive files into CACHE, verified by their sha256, and the REST tail after them.",
        discussion: """
            `fetch` (the default) brings each symbol's planned files into the cache and writes \
            its lists; `universe` reads the listing of every perpetual (SYMBOLS=all); \
            `planned` prints the plan without a request; `hash` and `days` are the \
            download's hashing and day check alone, for the benchmarks.
            """ + "\n\n" + StageEntry.exitStatus,
        subcommands: [Fetch.self, UniverseCommand.self, Prune.self, Planned.self, Hash.self, Days.self],
        defaultSubcommand: Fetch.self)
}

extension StageDownload {
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fetch",
            abstract: "Bring each symbol's planned files into CACHE, verified, then the REST tail (the default).",
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
            `stage-download planned` prints each planned URL and destination, without
            any request.

            EACH FILE: its NAME.zip.CHECKSUM, then the zip, streamed to DEST.PID.tmp
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
            A host that cannot be resolved or refuses the connection is not asked
            again: the run ends at once, saying so (no network: OFFLINE=1).
            Anything else, or a last attempt failing, ends the run (exit 1) naming
            the URL: the files verified so far stay, nothing unverified is left
            under a final name, and the lists stay as they were.

            SYMBOLS THAT COME AND GO. With --list-url (make: LIST_URL), each symbol's
            own 1h klines folders are listed first (two requests, none per file): a
            symbol listed after the range start is planned from its first day, one
            delisted before END (no file in the last 7 days) up to its last; the days
            outside are not missing (download/SYM/trading.csv records them). A symbol
            with no file at all in the range is an error naming it (a typo such as
            BTCUSTD), as it is without a listing when not one planned file exists.

            A HELD FILE THAT TURNS OUT WRONG. A later stage that cannot read a held
            zip (a CRC or truncation error) leaves NAME.zip.suspect beside it; the
            next download hashes that zip against its CHECKSUM and fetches it again
            when they differ (when they agree, the archive's own file is broken: it
            says so and keeps it). --verify hashes every held zip that way (make:
            VERIFY=1), for a cache that something else may have written.

            THE REST TAIL. The archive lags: daily files appear hours after their day,
            and fundingRate is monthly only, so the running month's settlements are
            never in it. With --rest-url (default https://fapi.binance.com when
            --base-url is the real archive; none for a mirror; make: REST_URL), each
            dataset's hours after its last archive file, up to the last closed hour
            before END, are fetched from Binance's public USD-M API (no key) into
            tail/ under CACHE, as CSVs in the archive's columns:
              tail/monthly/fundingRate/SYM/SYM-fundingRate-YYYY-MM.csv
              tail/daily/klines/SYM/1h/SYM-1h-YYYY-MM-DD.csv
              tail/daily/metrics/SYM/SYM-metrics-YYYY-MM-DD.csv  (the last 30 days)
              tail/hourly/aggTrades/SYM/SYM-aggTrades-YYYY-MM-DDTHH.csv
            and the month lists name them after the archive's files. Funding is
            always fetched (a request a month); klines, metrics and then each hour's
            trades (20 weight a page of 1,000) while the symbol's --tail-weight
            lasts (make: TAIL_WEIGHT); the weight the IP used this minute
            (X-MBX-USED-WEIGHT-1M) is kept under 2,000 of Binance's 2,400. Hours
            the tail could not fetch are listed in missing.csv with the reason,
            never guessed. The archive wins: once it publishes a day or month, the
            tail's files of it are removed and its zips are used. 429 is honoured
            (Retry-After); 418 (IP banned), 451 (restricted location), a host that
            cannot be reached, or failures that persist stop the tail with one
            warning, and the run goes on with the archive. --offline uses the tail
            files held. The clock is the system's; BACKFILL_NOW=YYYY-MM-DDTHH:MM:SSZ
            sets it (tests and replays).

            RERUNS. With nothing missing, a rerun makes no request. After a kill, a
            rerun fetches only what is missing; the next day, only the new files.
            --refresh re-reads every CHECKSUM and fetches again what was
            re-published with another hash. --offline makes no request and fails
            naming every planned file the cache lacks (except those the last online
            run found not published: they stay missing).
            """ + "\n\n" + StageEntry.exitStatus)

        @OptionGroup var cacheOptions: CacheOptions
        @OptionGroup var symbolOptions: SymbolOptions
        @OptionGroup var rangeOptions: RangeOptions
        @OptionGroup var network: NetworkOptions

        @Option(name: .customLong("rest-url"), help: ArgumentHelp("Binance's USD-M REST API, for the hours the archive has not published (make: REST_URL); default \(RESTURL.standard) with the real archive, none with a mirror; empty: no tail.", valueName: "url"))
        var restURL: String?

        @Option(name: .customLong("tail-weight"), help: ArgumentHelp("Request weight each symbol's REST tail may spend in one run (make: TAIL_WEIGHT).", valueName: "n"))
        var tailWeight: Int = 1000

        @Flag(help: "Re-read every CHECKSUM and fetch again the files re-published with another hash.")
        var refresh = false

        @Flag(help: "Hash every held zip against its CHECKSUM and fetch again the ones that differ (make: VERIFY=1).")
        var verify = false

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard !(network.offline && refresh) else { throw ValidationError("--offline and --refresh exclude each other: a refresh asks the archive") }
            do { _ = try rest() } catch let error as UsageError { throw ValidationError(error.message) }
            guard tailWeight >= 0 else { throw ValidationError("--tail-weight must be zero or more, got \(tailWeight)") }
            if let now = ProcessInfo.processInfo.environment["BACKFILL_NOW"], Time.parseISO(now) == nil {
                throw ValidationError("BACKFILL_NOW must be a time YYYY-MM-DDTHH:MM:SSZ, got '\(now)'")
            }
        }

        func run() async throws {
            output.apply()
            var settings = network.settings(quiet: output.quiet)
            settings.refresh = refresh
            settings.verify = verify
            settings.restURL = try rest()
            settings.tailWeight = tailWeight
            settings.now = Time.now()
            var downloader = Downloader(symbols: try symbolOptions.resolved(), range: try rangeOptions.range(),
                                        layout: cacheOptions.layout, urls: try ArchiveURL(network.baseURL), settings: settings)
            downloader.listURL = try network.listing()
            let reports: [Symbol: SymbolReport]
            do {
                reports = try await downloader.run()
            } catch let failure as DownloadFailed {
                if let unreachable = failure.errors.lazy.compactMap({ $0 as? Unreachable }).first {
                    Log.error("\(unreachable)")
                    Log.error("no network, or a wrong BASE_URL? OFFLINE=1 runs on what the cache holds; `make demo` runs the whole pipeline on a synthetic archive served on 127.0.0.1")
                    throw ExitCode.failure
                }
                for error in failure.errors { Log.error("\(error)") }
                let root = downloader.layout.root
                if network.offline {
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

        /// The REST tail's API: --rest-url when given (empty: none), else the real API when
        /// the archive is the real one, none for a mirror.
        private func rest() throws -> RESTURL? {
            if let restURL { return restURL.isEmpty ? nil : try RESTURL(restURL) }
            return try ArchiveURL(network.baseURL).root == ArchiveURL.standard ? try RESTURL(RESTURL.standard) : nil
        }

        private func summarize(_ symbol: Symbol, _ report: SymbolReport, _ downloader: Downloader) {
            var parts: [String] = []
            if report.fetched > 0 { parts.append("\(report.fetched) fetched, \(Progress.bytes(report.fetchedBytes))") }
            if report.unchanged > 0 { parts.append("\(report.unchanged) re-checked and unchanged") }
            if report.cached > 0 { parts.append("\(report.cached) already in the cache") }
            if !report.healed.isEmpty { parts.append("\(report.healed.count) held with other bytes than their CHECKSUM, fetched again") }
            let how = parts.isEmpty ? "" : ": \(parts.joined(separator: "; "))"
            let tail = report.tail.map { "; " + describeTail($0) } ?? ""
            Log.summary("\(symbol): \(report.verified) files verified\(network.offline ? " (offline)" : "")\(how)\(tail)")
            for file in report.healed { Log.warning("\(symbol): \(file.zipName): the held bytes did not match its CHECKSUM; fetched again") }
            for file in report.brokenAtSource {
                Log.warning("\(symbol): \(file.zipName) could not be read, yet matches its CHECKSUM: the archive's own copy is broken; REFRESH=1 once it is re-published")
            }
            for entry in CoverageList(report.coverage).incomplete {
                let days = entry.daysWithoutRows
                Log.info("\(symbol): \(entry.file.zipName) has no row on \(days.count) day\(days.count == 1 ? "" : "s") (\(days.map(\.description).joined(separator: " "))): the daily files of those days are asked for and used where published (\(downloader.layout.coverageList(symbol)))")
            }
            if let tail = report.tail { warnOfTail(symbol, tail, downloader) }
            guard !report.missing.isEmpty else { return }
            let n = report.missing.count
            Log.warning("\(symbol): \(n) file\(n == 1 ? "" : "s") not published, listed in \(downloader.layout.missingList(symbol)); a later run asks again:")
            for entry in MissingList(report.missing).entries {
                Log.warning("  \(entry.url): \(entry.reason)")
            }
        }

        /// `REST tail (N requests, weight W of B): fundingRate 3 settlements to …, klines 20 h to …`
        private func describeTail(_ tail: TailReport) -> String {
            var held: [String] = []
            for dataset in Dataset.allCases {
                guard let count = tail.covered[dataset], count > 0, let until = tail.coveredUntil[dataset] else { continue }
                let what = dataset == .fundingRate ? "\(count) settlement\(count == 1 ? "" : "s")" : "\(count) h"
                held.append("\(dataset.rawValue) \(what) to \(Time.iso(until))")
            }
            let asked = network.offline ? "offline" : "\(tail.requests) request\(tail.requests == 1 ? "" : "s"), weight \(tail.weight) of \(tailWeight)"
            return "REST tail (\(asked)): \(held.isEmpty ? "nothing beyond the archive" : held.joined(separator: ", "))"
        }

        private func warnOfTail(_ symbol: Symbol, _ tail: TailReport, _ downloader: Downloader) {
            guard !tail.missing.isEmpty else { return }
            let n = tail.missing.count
            Log.warning("\(symbol): \(n) tail file\(n == 1 ? "" : "s") not fetched (\(Set(tail.missing.map(\.reason)).sorted().joined(separator: "; "))), listed in \(downloader.layout.missingList(symbol)); a later run asks again")
        }
    }
}
