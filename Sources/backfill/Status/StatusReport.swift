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

/// What `backfill status` prints: per symbol and stage, from the files and from what
/// make would run (`MakeVerdict`).
struct StatusReport: Equatable, Sendable {
    let range: ArchiveRange
    var symbols: [SymbolStatus]

    static func survey(_ plan: Plan, verdict: MakeVerdict) -> StatusReport {
        let (loaded, databaseProblem) = readDatabase(plan.database)
        return StatusReport(range: plan.range, symbols: plan.symbols.map { symbol in
            survey(plan, symbol, verdict: verdict, loaded: loaded[symbol.short], databaseProblem: databaseProblem)
        })
    }

    static func survey(_ plan: Plan, _ symbol: Symbol, verdict: MakeVerdict, loaded: LoadedEvents?, databaseProblem: String?) -> SymbolStatus {
        let layout = plan.layout
        let show = { (path: String) in path.hasPrefix(layout.root + "/") ? String(path.dropFirst(layout.root.count + 1)) : path }
        /// Missing when its file is absent; stale when make would run it; else up to date.
        func fresh(_ stage: Stage, _ outputs: [String]) -> Freshness {
            let absent = outputs.filter { !FileSystem.exists($0) }
            if let first = absent.first {
                return .missing(absent.count == 1 ? "\(show(first)) does not exist" : "\(show(first)) and \(absent.count - 1) more do not exist")
            }
            let commands = verdict.commands(stage, symbol)
            guard !commands.isEmpty else { return .upToDate }
            let what = commands.map { "stage-\(stage.rawValue)\($0.what.isEmpty ? "" : " " + $0.what)" }
            return .stale("make would run " + (what.count <= 3 ? what.joined(separator: ", ") : "\(what.prefix(2).joined(separator: ", ")) and \(what.count - 2) more"))
        }

        var download = StageStatus(stage: .download, freshness: fresh(.download, [layout.fileList(symbol)]), counts: "")
        let files = DownloadSummary.read(layout, symbol)
        download.days = files.verifiedDays
        download.counts = files.verifiedCount == 0 && files.missing.isEmpty ? "" :
            count(files.verifiedCount, "verified file") + " (" + Dataset.allCases.map { "\($0.rawValue) \(files.verified[$0] ?? 0)" }.joined(separator: ", ") + ")"
            + (files.missing.isEmpty ? "" : ", \(files.missing.count) not published")
        download.notes = files.problems
        if let trading = files.trading, !trading.isWholeRange {
            download.notes.append("traded only part of the range (\(trading.summary)): the days outside are not missing")
        }
        if download.freshness.isUpToDate, let gap = files.gap(in: plan.range) {
            download.freshness = .stale(gap)
        }

        let names = Dimension.allCases.map(\.rawValue)
        var flow = StageStatus(stage: .flow, freshness: fresh(.flow, names.map { layout.series(symbol, $0) } + [layout.thresholds(symbol)]), counts: "")
        let series = names.map { ($0, SeriesSummary.read(layout.series(symbol, $0))) }
        let present = series.compactMap { name, summary in summary.map { (name, $0) } }
        if !present.isEmpty {
            let firsts = present.compactMap(\.1.first), lasts = present.compactMap(\.1.last)
            if let first = firsts.min(), let last = lasts.max() { flow.days = Day(containing: first)...Day(containing: last) }
            flow.counts = "rows: " + present.map { "\($0.0) \($0.1.rows)" }.joined(separator: ", ")
        }

        var detect = StageStatus(stage: .detect, freshness: fresh(.detect, [layout.events(symbol)]), counts: "")
        if let events = EventLinesSummary.read(layout.events(symbol)) {
            detect.days = days(events.first, events.last)
            detect.counts = count(events.events, "event")
        }

        var prices = StageStatus(stage: .prices, freshness: fresh(.prices, [layout.prices(symbol)]), counts: "")
        if let priced = EventLinesSummary.read(layout.prices(symbol)) {
            prices.days = days(priced.first, priced.last)
            prices.counts = count(priced.events, "event") + ", \(priced.withNull) with a price still unknown"
        }

        var load = StageStatus(stage: .load, freshness: fresh(.load, [plan.database, plan.loadStamp]), counts: "")
        if let databaseProblem {
            load.notes.append(databaseProblem)
        } else if FileSystem.exists(plan.database) {
            let rows = loaded ?? LoadedEvents(rows: 0, first: nil, last: nil, awaitingPrices: 0)
            load.days = days(rows.first, rows.last)
            load.counts = count(rows.rows, "row") + " of \(symbol.short), \(rows.awaitingPrices) with a price still unknown"
        }

        // A stage after one that is not up to date is redone too (make says so when it
        // can plan it; a missing file before it leaves make nothing to plan from).
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
