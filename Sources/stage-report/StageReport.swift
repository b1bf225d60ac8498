import ArgumentParser
import Common

@main
struct StageReport: ParsableCommand {
    static func main() { StageEntry.main(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "stage-report",
        abstract: "Study what price did after the events: writes CACHE/report/index.html, summary.csv and event_path.csv.",
        discussion: """
            Reads CACHE/prices/SYM.jsonl of every symbol and the closes of its verified 1h klines (listed in \
            CACHE/download/SYM/files.csv). For each symbol, dimension, window and sign of the event's value it \
            compares the returns \(Horizon.spelled) hours after every event with those after every hour of the data: \
            a 95 % interval and a p-value from Student's t with the larger of two standard errors (the hourly \
            price moves the difference is made of, and a bootstrap of two-week stretches), and a q-value (Benjamini–Hochberg \
            over every cell of the report). The page's headline lists the cells with q <= 0.05. With up to \
            \(ReportFiles.onePageLimit) symbols the report is one self-contained page; with more, index.html holds \
            the headline and a table of symbols, linking one self-contained page per symbol (SYM.html). summary.csv \
            holds every number (its columns are described in docs/REPORT.md), event_path.csv the mean path of price \
            from 48 hours before to 48 hours after the events, per dimension and sign.

            THE WHOLE MARKET FROM SHARDS. With --shard-caches 'C1 C2 …' (make merge SHARD_CACHES=…) the \
            symbols are those of every shard (each cache's report/symbols.txt, written by its make all), \
            each read from its own cache, in the order of their names, and q is over every cell of every \
            symbol: the files equal a report of one cache holding every symbol, byte for byte.
            """ + "\n\n" + StageEntry.exitStatus)

    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var symbolOptions: SymbolOptions

    @Option(help: ArgumentHelp("Bootstrap resamples per cell.", valueName: "n"))
    var resamples = BlockBootstrap.defaultResamples

    @Option(help: ArgumentHelp("Seed of the bootstrap; the same seed gives the same report, bit for bit.", valueName: "n"))
    var seed = Bootstrap.defaultSeed

    @Option(help: ArgumentHelp("Taker fee per side in basis points; returns are also shown net of a round trip (2 × this).", valueName: "bps"))
    var feeBps = 5.0

    @Option(help: ArgumentHelp("The caches of a market's shards, separated by spaces (make merge SHARD_CACHES=…): the report is the whole market's, from each cache's report/symbols.txt and files, written under --cache.", valueName: "dirs"))
    var shardCaches: String?

    @OptionGroup var output: OutputOptions

    mutating func validate() throws {
        guard (100...1_000_000).contains(resamples) else {
            throw ValidationError("--resamples must be between 100 and 1000000, got \(resamples)")
        }
        guard feeBps.isFinite, (0...1_000).contains(feeBps) else {
            throw ValidationError("--fee-bps must be between 0 and 1000 basis points, got \(feeBps)")
        }
    }

    mutating func run() throws {
        output.apply()
        let settings = StudySettings(resamples: resamples, seed: seed, feeBps: feeBps)
        let layout = cacheOptions.layout
        let sources = try shardCaches.map(ReportSource.shards) ?? symbolOptions.resolved().map { ReportSource(symbol: $0, layout: layout) }
        let written = try ReportFiles.write(sources, to: layout, settings: settings)
        Log.summary("\(written.events) events of \(written.symbols) symbol\(written.symbols == 1 ? "" : "s"): "
                 + "\(written.rows) rows, \(written.tested) tested, \(written.findings) with q <= \(NumberFormat.shortest(FalseDiscovery.level)) → "
                 + "\(written.page), \(written.summary), \(written.eventPath)" + (written.symbolPages > 0 ? " and \(written.symbolPages) symbol pages" : ""))
    }
}

/// The report's files, each written atomically: summary.csv, index.html and, with
/// more than `onePageLimit` symbols, one page per symbol.
enum ReportFiles {
    /// Up to this many symbols share one page; more get an index and a page each.
    static let onePageLimit = 4
    /// The event paths' numbers, next to summary.csv.
    static let eventPathFile = "event_path.csv"

    struct Written {
        let page: String, summary: String, eventPath: String
        let symbols: Int, events: Int, rows: Int, tested: Int, findings: Int, symbolPages: Int
    }

    /// Two passes over the symbols when there are many: the first computes every
    /// cell (and keeps only the rows, not the events and closes), the q-values need
    /// all of them; the second reads one symbol at a time again and writes its page.
    static func write(_ sources: [ReportSource], to layout: CacheLayout, settings: StudySettings) throws -> Written {
        let symbols = sources.map(\.symbol)
        let onePage = symbols.count <= onePageLimit
        var overviews: [SymbolOverview] = []
        var studies: [SymbolStudy] = []
        for source in sources {
            let study = try SymbolStudy.read(source.symbol, in: source.layout, settings: settings)
            overviews.append(study.overview)
            if onePage { studies.append(study) }
        }
        var rows = overviews.map(\.rows)
        Study.adjust(&rows)
        for i in overviews.indices { overviews[i].rows = rows[i] }

        let summary = "\(layout.report)/summary.csv"
        let page = "\(layout.report)/index.html"
        try AtomicFile.write(SummaryCSV.text(rows.joined()), to: summary)
        let eventPath = "\(layout.report)/\(eventPathFile)"
        try AtomicFile.write(EventPathCSV.text(overviews.lazy.flatMap(\.paths)), to: eventPath)
        var symbolPages = 0
        if onePage {
            for i in studies.indices { studies[i].rows = rows[i] }
            try AtomicFile.write(HTMLReport.page(Study(symbols: studies, settings: settings)), to: page)
        } else {
            for (i, source) in sources.enumerated() {
                let study = try SymbolStudy.read(source.symbol, in: source.layout, settings: settings, rows: rows[i], paths: overviews[i].paths)
                try AtomicFile.write(HTMLReport.symbolPage(study, overviews: overviews, settings: settings),
                                     to: "\(layout.report)/\(HTMLReport.pageName(source.symbol))")
                symbolPages += 1
            }
            try AtomicFile.write(HTMLReport.index(overviews, settings: settings), to: page)
        }
        removeStalePages(in: layout.report, keeping: onePage ? [] : Set(symbols.map(HTMLReport.pageName)))
        let all = rows.joined()
        return Written(page: page, summary: summary, eventPath: eventPath, symbols: symbols.count, events: overviews.reduce(0) { $0 + $1.eventCount },
                       rows: all.count, tested: all.count(where: { $0.test != nil }), findings: all.count(where: \.isFinding),
                       symbolPages: symbolPages)
    }

    /// Symbol pages of an earlier report that this one does not link (fewer symbols, or one page now).
    private static func removeStalePages(in directory: String, keeping: Set<String>) {
        for name in FileSystem.list(directory) where name.hasSuffix("USDT.html") && !keeping.contains(name) {
            try? FileSystem.remove("\(directory)/\(name)")
        }
    }
}
