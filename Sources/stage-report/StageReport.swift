import ArgumentParser
import Common

@main
struct StageReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage-report",
        abstract: "Study what price did after the events: writes CACHE/report/index.html and CACHE/report/summary.csv.",
        discussion: """
            Reads CACHE/prices/SYM.jsonl of every symbol and the closes of its verified 1h klines (listed in \
            CACHE/download/SYM/files.csv). For each symbol, dimension, window and sign of the event's value it \
            compares the returns 4, 12, 24 and 48 hours after the events with those after every hour of the data, \
            with a 95 % bootstrap interval of the difference over one event per 48 h cluster. The page is one \
            self-contained HTML file with inline SVG charts; summary.csv holds every number (its columns are \
            described in README.md, "The report").
            """)

    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var symbolOptions: SymbolOptions

    @Option(help: ArgumentHelp("Bootstrap resamples per interval.", valueName: "n"))
    var resamples = Bootstrap.defaultResamples

    @Option(help: ArgumentHelp("Seed of the bootstrap; the same seed gives the same report, bit for bit.", valueName: "n"))
    var seed = Bootstrap.defaultSeed

    @Flag(help: "No summary line.")
    var quiet = false

    mutating func validate() throws {
        guard (100...1_000_000).contains(resamples) else {
            throw ValidationError("--resamples must be between 100 and 1000000, got \(resamples)")
        }
    }

    mutating func run() throws {
        Log.quiet = quiet
        let layout = cacheOptions.layout
        let study = try Study.read(try symbolOptions.resolved(), in: layout, resamples: resamples, seed: seed)
        let written = try ReportFiles.write(study, to: layout)
        let excluding = study.rows.filter { $0.interval?.excludesZero == true }.count
        Log.info("\(study.eventCount) events of \(study.symbols.count) symbol\(study.symbols.count == 1 ? "" : "s"): "
                 + "\(study.rows.count) rows, \(excluding) intervals exclude zero → \(written.page), \(written.summary)")
    }
}

/// The report's two files, each written atomically.
enum ReportFiles {
    static func write(_ study: Study, to layout: CacheLayout) throws -> (page: String, summary: String) {
        let summary = "\(layout.report)/summary.csv"
        let page = "\(layout.report)/index.html"
        try AtomicFile.write(SummaryCSV.text(study.rows), to: summary)
        try AtomicFile.write(HTMLReport.page(study), to: page)
        return (page, summary)
    }
}
