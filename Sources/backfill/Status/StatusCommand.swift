import ArgumentParser
import Common

/// `backfill status` (`./pipeline status`): per symbol and stage, up to date, stale or
/// missing — as make would judge it, asked with `make -n` — the days covered, the
/// counts, how far the archive and the REST tail reach, and what was not published.
/// Reads files and the database; writes nothing.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per symbol and stage: up to date, stale or missing, the days covered, the counts, the files not published.",
        discussion: """
            A stage is stale when make would run it (`make -n all`, asked of the Makefile itself, \
            with the archive not asked again), missing when its file does not exist.
            --json prints the same as one JSON object; --check HOURS exits 1, naming them, when a \
            symbol's newest trades, klines or metrics end more than HOURS before now (for cron \
            mail, Nagios, Kubernetes alerts).
            """ + "\n\n" + StageEntry.exitStatus)

    @OptionGroup var knobs: KnobOptions

    @Option(help: ArgumentHelp("The directory of the Makefile (default: the one this binary was built in).", valueName: "dir"))
    var repository: String?

    @Argument(help: ArgumentHelp("One symbol, short or full; overrides --symbols and --symbol.", valueName: "symbol"))
    var only: String?

    @Flag(help: "Every stage of every symbol; the default is one line per symbol when there are several.")
    var details = false

    @Flag(help: "One JSON object: the knobs, and per symbol its stages, reach and files not published.")
    var json = false

    @Option(help: ArgumentHelp("Exit 1 when a symbol's newest data (the oldest of its trades', klines' and metrics' last hours) is older than this many hours.", valueName: "hours"))
    var check: Double?

    func validate() throws {
        if let only { _ = try Symbol(only) }
        if let check { guard check > 0 else { throw ValidationError("--check must be a positive number of hours, got \(check)") } }
    }

    func run() throws {
        var knobs = self.knobs.knobs
        if let only { knobs.symbol = only; knobs.symbols = only }
        let plan: Plan
        do {
            plan = try Plan.make(knobs, today: Day.today, universe: { try PlanCommand.universe(knobs.cache, $0) })
        } catch {
            throw ValidationError(error.message)
        }
        if plan.universe && plan.symbols.isEmpty {
            throw UsageError("SYMBOLS=all: no universe read yet under \(knobs.cache)/universe; `make universe` reads the archive's listing")
        }
        knobs.end = plan.range.end.description
        let verdict = try MakeVerdict.ask(knobs, repository: repository ?? Self.defaultRepository())
        let report = StatusReport.survey(plan, verdict: verdict)
        let symbols = plan.symbols
        let listed = symbols.count <= 8 ? symbols.map(\.full).joined(separator: " ") : "\(symbols.count) symbols, \(symbols.first!) to \(symbols.last!)"
        let header = "backfill status: END=\(plan.range.end) DAYS=\(knobs.days) SYMBOLS=\(listed)\(plan.shard.map { " SHARD=\($0)" } ?? "")"
        let now = Time.now()
        let stale = check.map { StatusCheck.stale(report, hours: $0, now: now) } ?? []
        if json {
            print(try StatusJSON.text(report, plan: plan, now: now, check: check, stale: stale))
        } else {
            let text = details || symbols.count == 1 ? StatusText.render(report, plan: plan, knobs: header)
                                                     : StatusText.renderSummary(report, plan: plan, knobs: header)
            print(text, terminator: "")
            for line in stale { print("check: \(line)") }
        }
        if !stale.isEmpty { throw ExitCode.failure }
    }

    /// This binary is `REPO/.build/release/backfill`: the Makefile is in REPO.
    static func defaultRepository() -> String {
        var path = CommandLine.arguments[0]
        if !path.hasPrefix("/") { path = FileSystem.currentDirectory() + "/" + path }
        var parts = path.split(separator: "/").map(String.init)
        parts.removeLast(min(parts.count, 3))
        return "/" + parts.joined(separator: "/")
    }
}

/// `--check HOURS`: the symbols whose newest data is older than that.
enum StatusCheck {
    /// The datasets whose last hour says how fresh a symbol is (funding is every 8 h).
    static let datasets: [Dataset] = [.aggTrades, .klines, .metrics]

    /// The end of the oldest of the symbol's newest hours of `datasets`; nil: none held.
    static func newest(_ symbol: SymbolStatus) -> (Millis, Dataset)? {
        let ends = datasets.compactMap { d in symbol.reach[d].flatMap { r in [r.archive, r.tail].compactMap { $0 }.max() }.map { ($0, d) } }
        guard ends.count == datasets.count else { return nil }
        return ends.min { $0.0 < $1.0 }
    }

    static func stale(_ report: StatusReport, hours: Double, now: Millis) -> [String] {
        report.symbols.compactMap { symbol in
            guard let (end, dataset) = newest(symbol) else {
                return "\(symbol.symbol.full): no trades, klines or metrics held yet"
            }
            let age = Double(now - end) / Double(Time.hour)
            guard age > hours else { return nil }
            return "\(symbol.symbol.full): \(dataset.rawValue) ends at \(Time.iso(end)), \(String(format: "%.1f", age)) h ago, more than \(hours) h"
        }
    }
}
