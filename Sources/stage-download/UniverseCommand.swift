import ArgumentParser
import AsyncHTTPClient
import Common

extension StageDownload {
    /// `stage-download universe` (SYMBOLS=all, `make universe`).
    struct UniverseCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "universe",
            abstract: "Read every USD-M perpetual from the archive's listing into CACHE/universe/, and download nothing.",
            discussion: """
            THE UNIVERSE. This reads the listing of every USD-M perpetual: the
            folders under monthly/klines/ and daily/klines/ without '_' (those are
            delivery contracts), each one's months from its aggTrades folder, into
            universe/symbols.csv (symbol,first_month,last_month,months,aggtrades_bytes),
            universe/months.csv and universe/read.txt (when, from which LIST_URL); a
            listing younger than --list-max-age hours is reused. --make-include FILE
            writes `UNIVERSE := …`, the symbols trading in the range, for make. An
            unreachable, unreadable or cut-short listing fails naming LIST_URL and
            changes nothing.

            """ + "\n\n" + StageEntry.exitStatus)

        @OptionGroup var cacheOptions: CacheOptions
        @OptionGroup var rangeOptions: RangeOptions
        @OptionGroup var network: NetworkOptions

        @Option(name: .customLong("list-max-age"), help: ArgumentHelp("Hours a cached universe listing is used without asking again (make: LIST_MAX_AGE).", valueName: "hours"))
        var listMaxAge: Double = 20

        @Option(name: .customLong("make-include"), help: ArgumentHelp("Write `UNIVERSE := …` (the symbols trading in the range) to FILE for make.", valueName: "file"))
        var makeInclude: String?

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard listMaxAge >= 0, listMaxAge.isFinite else { throw ValidationError("--list-max-age must be zero or more hours, got \(listMaxAge)") }
            guard try network.listing() != nil || network.offline else { throw ValidationError("the universe needs a listing: --list-url (make: LIST_URL) is empty") }
        }

        func run() async throws {
            output.apply()
            do {
                try await readUniverse(network.settings(quiet: output.quiet))
            } catch {
                Log.error("\(error)")
                throw ExitCode.failure
            }
        }

        /// The cached listing when fresh enough (or --offline), else the
        /// archive's listing read whole; then the make include for the range.
        private func readUniverse(_ settings: DownloadSettings) async throws {
            let layout = cacheOptions.layout
            let range = try rangeOptions.range()
            guard let listRoot = try network.listing() else { throw UsageError("the universe needs a listing: LIST_URL is empty") }
            let now = UniverseReader.now()
            let result: (Universe, UniverseReader.Stamp) = try await HTTPClient.withHTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: Downloader(symbols: [], range: range, layout: layout,
                    urls: try ArchiveURL(network.baseURL), settings: settings).clientConfiguration) { client in
                let progress = Progress(label: "listing", style: settings.progress)
                let source = HTTPArchiveSource(client: client, urls: try ArchiveURL(network.baseURL), layout: layout, retry: settings.retry,
                                               timeout: settings.timeout, progress: progress, sleep: settings.sleep)
                var reader = UniverseReader(layout: layout, lister: BucketLister(listURL: listRoot, http: source))
                reader.jobs = settings.jobs
                reader.maxAge = Int64(listMaxAge * 3600)
                if let cached = try reader.cached(now: now, offline: settings.offline) { return cached }
                if settings.offline {
                    throw UsageError("--offline: no universe listing under \(layout.universe); run once without OFFLINE=1 to read LIST_URL")
                }
                let read = try await reader.read(now: now, progress: progress)
                progress.finish()
                return read
            }
            let (universe, stamp) = result
            let trading = universe.trading(in: range)
            if let makeInclude { _ = try AtomicFile.writeIfChanged(UniverseReader.makeInclude(trading, range: range), to: makeInclude) }
            Log.summary("universe: \(universe.symbols.count) USD-M perpetuals listed (read \(UniverseReader.Stamp.format(stamp.readAt)) from \(stamp.listURL)), \(trading.count) trading in \(range); see \(layout.universeSymbols)")
            guard !trading.isEmpty else {
                throw DataError(file: layout.universeSymbols, "the listing of \(stamp.listURL) shows no perpetual trading in \(range)")
            }
        }
    }
}
