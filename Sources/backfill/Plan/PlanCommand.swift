import ArgumentParser
import Common

/// `backfill plan`: the knobs of a make run, checked, turned into the variables the
/// Makefile schedules from (MakeInclude). Refused knobs are not an exit status here but
/// a variable make stops with, so make's own message shows them.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the plan of a make run (symbols, months, artifacts) as make text.",
        discussion: """
            The Makefile runs `$(eval $(shell backfill plan …))` once per make: SYMBOL over \
            SYMBOLS (short names completed: BTC is BTCUSDT; `all`: the symbols of the universe \
            under CACHE trading in the range, of SHARD INDEX/COUNT when given: those whose \
            FNV-1a-32 hash of the name is INDEX modulo COUNT), the range's months from END and \
            DAYS, every stage's files, and the stamps (series/SYM/months.txt, report/ and \
            load/symbols.txt) whose text differs from the plan's. Knobs that make no plan give \
            PLAN_REFUSED, the message make stops with.
            """)

    @OptionGroup var knobs: KnobOptions

    @Option(help: ArgumentHelp("Also the stages' binary stamps that differ from the binaries in DIR (make -n, for `backfill status`).", valueName: "dir"))
    var binaries: String?

    func run() throws {
        print(Self.text(knobs.knobs, today: Day.today, binaries: binaries))
    }

    static func text(_ knobs: Knobs, today: Day, binaries: String? = nil) -> String {
        do {
            return MakeInclude.text(try Plan.make(knobs, today: today, universe: { try Self.universe(knobs.cache, $0) }), binaries: binaries)
        } catch {
            return MakeInclude.refusal(error)
        }
    }

    /// The universe's symbols trading in `range`, read from CACHE/universe (nil: not read yet).
    static func universe(_ cache: String, _ range: ArchiveRange) throws -> [Symbol]? {
        let layout = CacheLayout(root: cache)
        guard FileSystem.exists(layout.universeSymbols), FileSystem.exists(layout.universeMonths) else { return nil }
        return try Universe.read(symbols: layout.universeSymbols, months: layout.universeMonths).trading(in: range).sorted()
    }
}

/// The knobs, as options named like make's variables.
struct KnobOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SYMBOLS: symbols, by spaces or commas, or `all`.", valueName: "list"))
    var symbols = "BTCUSDT ETHUSDT"
    @Option(name: .long, help: ArgumentHelp("SYMBOL: one symbol, over SYMBOLS.", valueName: "symbol"))
    var symbol = ""
    @Option(name: .long, help: ArgumentHelp("END: the first day not in the range, YYYY-MM-DD; empty: today (UTC).", valueName: "day"))
    var end = ""
    @Option(name: .long, help: ArgumentHelp("DAYS: how far back from END the range reaches.", valueName: "n"))
    var days = "365"
    @Option(name: .long, help: ArgumentHelp("CACHE: the root of every intermediate file.", valueName: "dir"))
    var cache = "data/backfill_cache"
    @Option(name: .long, help: ArgumentHelp("DB: the SQLite database.", valueName: "path"))
    var db = "data/monitor.db"
    @Option(name: .long, help: ArgumentHelp("SHARD: INDEX/COUNT of the market; empty: all of it.", valueName: "k/n"))
    var shard = ""

    var knobs: Knobs {
        Knobs(symbols: symbols, symbol: symbol, end: end, days: days, cache: cache, db: db, shard: shard)
    }
}
