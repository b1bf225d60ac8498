import ArgumentParser
import Common
import Glibc

/// stage-load: upserts the priced events of `CACHE/prices/SYM.jsonl` into the
/// SQLite table `extreme_events` (SPEC "The database"), in one transaction.
@main
struct StageLoad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage-load",
        abstract: "Upsert priced events into the SQLite table extreme_events, in one transaction.",
        discussion: """
            Reads CACHE/prices/SYM.jsonl of each symbol (or the files given) and upserts every line \
            into --db, keyed on (symbol, dimension, window_days, triggered_at). A price already \
            known is never replaced by null; rows that would not change are not rewritten. A table \
            made by the original tool (no unique key) is deduplicated and given the key in the same \
            transaction. Any bad line fails the whole load, and nothing is written.
            """)

    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var symbolOptions: SymbolOptions

    @Option(name: .long, help: ArgumentHelp("The SQLite database (make: DB); created with its directory when absent.", valueName: "path"))
    var db: String = "data/monitor.db"

    @Flag(name: .long, help: "Report what the load would insert, update and leave alone, per symbol and dimension; write nothing (make: DRY_RUN=1).")
    var dryRun = false

    @Flag(name: .long, help: "No summary lines (make: QUIET=1).")
    var quiet = false

    @Argument(help: ArgumentHelp("Prices files to load instead of CACHE/prices/SYM.jsonl of the symbols.", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        guard !db.isEmpty else { throw ValidationError("--db must name a file") }
    }

    /// The files this load reads: the ones given, or each symbol's in the cache.
    func sources() throws -> [LoadInput.Source] {
        if !files.isEmpty { return files.map { LoadInput.Source(path: $0, symbol: LoadInput.symbol(named: $0)) } }
        let layout = cacheOptions.layout
        return try symbolOptions.resolved().map { LoadInput.Source(path: layout.prices($0), symbol: $0) }
    }

    func run() throws {
        Log.quiet = quiet
        do {
            let input = try LoadInput.read(sources())
            let loader = Loader(path: db)
            if dryRun {
                print(LoadReport.dryRun(try loader.dryRun(input), database: db), terminator: "")
            } else {
                let outcome = try loader.load(input)
                LoadReport.summary(outcome, database: db).forEach(Log.info)
            }
        } catch {
            Log.error("\(error)")
            Log.error(dryRun ? "dry run failed" : "nothing was loaded: the database is as it was")
            throw ExitCode.failure
        }
    }
}
