import Common
import EventStore

/// One stage of one symbol: how fresh its files are, and what they hold.
struct StageStatus: Equatable, Sendable {
    let stage: Stage
    var freshness: Freshness
    /// The first and last day the stage's data covers.
    var days: ClosedRange<Day>?
    /// Counts, in words: `1204 events, 12 with a price still unknown`.
    var counts: String
    /// Anything else the user should know: an unreadable file.
    var notes: [String] = []
}

struct SymbolStatus: Equatable, Sendable {
    let symbol: Symbol
    var stages: [StageStatus]
    /// Files the archive did not publish, from download/SYM/missing.csv.
    var notPublished: [MissingFile]
    /// The days the symbol traded, when less than the range (download/SYM/trading.csv).
    var trading: TradingSpan? = nil
    /// Monthly files with no row on some days, from download/SYM/coverage.csv.
    var incomplete: [CoverageList.Entry] = []
    /// Per dataset, how far the archive's files and the REST tail's reach.
    var reach: [Dataset: DownloadSummary.Reach] = [:]

    func stage(_ stage: Stage) -> StageStatus { stages.first { $0.stage == stage }! }
}

/// What `pipeline status` prints: per symbol and stage, read from the files only.
struct StatusReport: Equatable, Sendable {
    let range: ArchiveRange
    var symbols: [SymbolStatus]

    static func survey(_ graph: StageGraph, symbols: [Symbol]) -> StatusReport {
        let (loaded, databaseProblem) = readDatabase(graph.database)
        return StatusReport(range: graph.range, symbols: symbols.map { symbol in
            survey(graph, symbol, loaded: loaded[symbol.short], databaseProblem: databaseProblem, loadSymbols: symbols)
        })
    }

    /// `loadSymbols`: the symbols make would load together (SYMS), which the last
    /// load's `load/symbols.txt` must list for the load to be up to date.
    static func survey(_ graph: StageGraph, _ symbol: Symbol, loaded: LoadedEvents?, databaseProblem: String?,
                       loadSymbols: [Symbol]) -> SymbolStatus {
        let layout = graph.layout
        func fresh(_ stage: Stage) -> Freshness {
            Freshness.worst(graph.rules(stage, symbol).map { $0.freshness(show: graph.show) })
        }

        var download = StageStatus(stage: .download, freshness: fresh(.download), counts: "")
        let files = DownloadSummary.read(layout, symbol)
        download.days = files.verifiedDays
        download.counts = files.verifiedCount == 0 && files.missing.isEmpty ? "" :
            count(files.verifiedCount, "verified file") + " (" + Dataset.allCases.map { "\($0.rawValue) \(files.verified[$0] ?? 0)" }.joined(separator: ", ") + ")"
            + (files.missing.isEmpty ? "" : ", \(files.missing.count) not published")
        download.notes = files.problems
        if let trading = files.trading, !trading.isWholeRange {
            download.notes.append("traded only part of the range (\(trading.summary)): the days outside are not missing")
        }
        if download.freshness.isUpToDate, let gap = files.gap(in: graph.range) {
            download.freshness = .stale(gap)
        }

        var flow = StageStatus(stage: .flow, freshness: fresh(.flow), counts: "")
        let series = StageGraph.series.map { ($0, SeriesSummary.read(layout.series(symbol, $0))) }
        let present = series.compactMap { name, summary in summary.map { (name, $0) } }
        if !present.isEmpty {
            let firsts = present.compactMap(\.1.first), lasts = present.compactMap(\.1.last)
            if let first = firsts.min(), let last = lasts.max() { flow.days = Day(containing: first)...Day(containing: last) }
            flow.counts = "rows: " + present.map { "\($0.0) \($0.1.rows)" }.joined(separator: ", ")
        }

        if flow.freshness.isUpToDate, let listed = try? FileSystem.readText(graph.monthsFile(symbol)),
           (listed.split(separator: "\n").first.map(String.init) ?? "") != graph.monthsText {
            flow.freshness = .stale("\(graph.show(graph.monthsFile(symbol))) lists other months than the range's (\(graph.monthsText)): make rewrites it, then joins again")
        }

        var detect = StageStatus(stage: .detect, freshness: fresh(.detect), counts: "")
        if let events = EventLinesSummary.read(layout.events(symbol)) {
            detect.days = days(events.first, events.last)
            detect.counts = count(events.events, "event")
        }

        var prices = StageStatus(stage: .prices, freshness: fresh(.prices), counts: "")
        if let priced = EventLinesSummary.read(layout.prices(symbol)) {
            prices.days = days(priced.first, priced.last)
            prices.counts = count(priced.events, "event") + ", \(priced.withNull) with a price still unknown"
        }

        var load = StageStatus(stage: .load, freshness: fresh(.load), counts: "")
        let symbolsText = loadSymbols.map(\.full).joined(separator: " ")
        if load.freshness.isUpToDate, let listed = try? FileSystem.readText(graph.symbolsFile),
           (listed.split(separator: "\n").first.map(String.init) ?? "") != symbolsText {
            load.freshness = .stale("\(graph.show(graph.symbolsFile)) lists other symbols than \(symbolsText): make rewrites it, then loads again")
        }
        if let databaseProblem {
            load.notes.append(databaseProblem)
        } else if FileSystem.exists(graph.database) {
            let rows = loaded ?? LoadedEvents(rows: 0, first: nil, last: nil, awaitingPrices: 0)
            load.days = days(rows.first, rows.last)
            load.counts = count(rows.rows, "row") + " of \(symbol.short), \(rows.awaitingPrices) with a price still unknown"
        }

        // A stage after one that make would redo is redone too: up to date by its own
        // files, it is stale all the same, naming the first stage that is not up to date.
        // A stage stale or missing by its own files keeps its own reason.
        var stages = [download, flow, detect, prices, load]
        if let first = stages.firstIndex(where: { !$0.freshness.isUpToDate }) {
            for index in stages.indices.dropFirst(first + 1) where stages[index].freshness.isUpToDate {
                stages[index].freshness = .stale("after \(stages[first].stage.rawValue), which is \(stages[first].freshness.word)")
            }
        }
        return SymbolStatus(symbol: symbol, stages: stages, notPublished: files.missing, trading: files.trading, incomplete: files.incomplete,
                            reach: files.reach)
    }

    /// `1 event`, `2 events`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    private static func days(_ first: Millis?, _ last: Millis?) -> ClosedRange<Day>? {
        guard let first, let last else { return nil }
        return Day(containing: first)...Day(containing: last)
    }

    /// The database's rows per symbol, or why it cannot be read; nothing when absent.
    private static func readDatabase(_ path: String) -> ([String: LoadedEvents], String?) {
        do {
            guard let queue = try DatabaseFile.openForReading(path) else { return ([:], nil) }
            let loaded = try DatabaseFile.explainingErrors(path: path) { try queue.read(LoadedEvents.bySymbol) }
            return (loaded, nil)
        } catch {
            return ([:], "cannot read the database: \(error)")
        }
    }
}
