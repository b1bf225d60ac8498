import ArgumentParser
import Common

/// pipeline-status: what `./pipeline status` prints. Reads the cache and the
/// database only (no network, nothing written) and says, per symbol and stage,
/// whether make would leave its files as they are.
@main
struct PipelineStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline-status",
        abstract: "Per symbol and stage: up to date, stale or missing, the days covered, the counts, and the files the archive did not publish.",
        discussion: """
            A stage is stale when one of its files is older than what it is made from (its inputs or \
            its binary), as make judges it, or when a stage before it is not up to date; the download \
            is also stale when its lists do not cover the range of END and DAYS.
            """)

    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var symbolOptions: SymbolOptions
    @OptionGroup var rangeOptions: RangeOptions

    @Option(name: .long, help: ArgumentHelp("The SQLite database (make: DB).", valueName: "path"))
    var db: String = "data/monitor.db"

    @Option(name: .long, help: ArgumentHelp("Where make puts the stages' binaries.", valueName: "dir"))
    var bin: String = ".build/release"

    @Argument(help: ArgumentHelp("One symbol, short or full; overrides --symbols and --symbol.", valueName: "symbol"))
    var only: String?

    @Flag(help: "Every stage of every symbol; the default is one line per symbol when there are several.")
    var details = false

    func validate() throws {
        if let only { _ = try Symbol(only) }
    }

    func run() throws {
        let symbols = try only.map { [try Symbol($0)] } ?? symbolOptions.resolved()
        let range = try rangeOptions.range()
        let graph = StageGraph(layout: cacheOptions.layout, database: db, binaries: bin, range: range)
        let report = StatusReport.survey(graph, symbols: symbols)
        let knobs = "backfill status: END=\(try rangeOptions.endDay()) DAYS=\(rangeOptions.days) SYMBOLS=\(symbols.count <= 8 ? symbols.map(\.full).joined(separator: " ") : "\(symbols.count) symbols, \(symbols.first!) to \(symbols.last!)")"
        let text = details || symbols.count == 1 ? StatusText.render(report, graph: graph, knobs: knobs)
                                                 : StatusText.renderSummary(report, graph: graph, knobs: knobs)
        print(text, terminator: "")
    }
}
