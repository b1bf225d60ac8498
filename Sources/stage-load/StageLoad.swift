import ArgumentParser
import Common
import Glibc

/// stage-load: upserts the priced events of `CACHE/prices/SYM.jsonl` into the
/// SQLite table `extreme_events` (SPEC "The database"), in one transaction.
@main
struct StageLoad: ParsableCommand {
    static func main() { StageEntry.main(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "stage-load",
        abstract: "Upsert priced events into the SQLite table extreme_events, in one transaction.",
        discussion: """
            Reads CACHE/prices/SYM.jsonl of each symbol (or the files given) and upserts every line \
            into --db, keyed on (symbol, dimension, window_days, triggered_at). A price already \
            known is never replaced by null; rows that would not change are not rewritten.

            THE TABLE TELLS THE TRUTH ABOUT THE RANGE IT LOADED. The range is [1st of the month of \
            END - DAYS, END) (--end, --days, as for every stage). For each symbol loaded and each \
            window W, a row whose hour lies in [range start + W days, END) that no line of the load \
            reproduces (a re-published file or a late day changed the series) is deleted and \
            counted as retired. Rows before range start + W days are history that a later range \
            cannot see: they stay. Rows of symbols not loaded stay, except with --shard INDEX/COUNT: \
            a shard's database holds the symbols the shard owns (FNV-1a-32 of the full name mod \
            COUNT, SPEC "Shards"), and every row of another symbol is retired (a new COUNT moved it).

            A table made by the original tool (no unique key) is deduplicated and given the key in \
            the same transaction. Inserts, updates and retirements are one transaction: any bad \
            line fails the whole load, and nothing is written.

            SYMBOL BY SYMBOL. Every file is read and checked first, one at a time, before the \
            database is opened; then, inside the one transaction, each symbol's file is read again, \
            planned against that symbol's stored rows and applied, while the next symbol's file is \
            read: memory is bounded by the largest symbols (a year is ~13,000 events), not by the \
            number of symbols. Files given by hand that share a symbol are read together. A merge \
            goes symbol by symbol of each shard the same way.

            MERGE. --merge SHARD.db… (make merge DB=… SHARDS=…) takes the rows of shard databases \
            (each a make all over part of the symbols, with its own CACHE and DB) instead of prices \
            files, and upserts them with the same key and rules, retiring per symbol of the shards: \
            merging the shards of one range equals one run over all their symbols. A shard is only \
            read; one that is not a backfill database is refused, untouched, and nothing is merged.

            EXIT STATUS: 0 loaded (or dry run done); 1 bad input or an unusable database (a \
            directory, not writable, not SQLite, a table of another shape), nothing written; \
            64 bad options.
            """)

    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var symbolOptions: SymbolOptions
    @OptionGroup var rangeOptions: RangeOptions

    @Option(name: .long, help: ArgumentHelp("The SQLite database (make: DB); created with its directory when absent.", valueName: "path"))
    var db: String = "data/monitor.db"

    @Flag(name: .long, help: "Report what the load would insert, update, retire and leave alone, per symbol and dimension; write nothing (make: DRY_RUN=1).")
    var dryRun = false

    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Prices files to load instead of CACHE/prices/SYM.jsonl of the symbols.", valueName: "file"))
    var files: [String] = []

    @Option(help: ArgumentHelp("INDEX/COUNT: this database is one shard of the market (make: SHARD); the rows of symbols the shard does not own (FNV-1a-32 of the name mod COUNT) are retired, all of them.", valueName: "shard"))
    var shard: String?

    @Option(name: .customLong("merge"), parsing: .upToNextOption,
            help: ArgumentHelp("Shard databases whose rows to upsert instead, with the same key and rules, retirement per symbol of the shards (make merge SHARDS=…).", valueName: "db"))
    var shards: [String] = []

    func validate() throws {
        guard !db.isEmpty else { throw ValidationError("--db must name a file") }
        guard shards.isEmpty || files.isEmpty else { throw ValidationError("--merge takes shard databases instead of prices files: give one or the other") }
        guard shard == nil || shards.isEmpty else { throw ValidationError("--shard is for a shard's own load; --merge takes every shard into one database") }
        if let shard, !shard.isEmpty { _ = try Shard(shard) }
        if let same = shards.first(where: { FileSystem.exists($0) && FileSystem.exists(db) && realpath($0, nil).map { p in defer { free(p) }; return String(cString: p) } == realpath(db, nil).map { p in defer { free(p) }; return String(cString: p) } }) {
            throw ValidationError("--merge: the shard \(same) is the database merged into (--db \(db))")
        }
    }

    /// The files this load reads: the ones given, or each symbol's in the cache.
    func sources() throws -> [LoadInput.Source] {
        if !files.isEmpty { return files.map { LoadInput.Source(path: $0, symbol: LoadInput.symbol(named: $0)) } }
        let layout = cacheOptions.layout
        return try symbolOptions.resolved().map { LoadInput.Source(path: layout.prices($0), symbol: $0) }
    }

    func run() throws {
        output.apply()
        do {
            let input = shards.isEmpty ? try LoadInput.read(sources()) : try ShardInput.read(shards)
            let loader = Loader(path: db, zone: RetirementZone(range: try rangeOptions.range()),
                                shard: try shard.flatMap { $0.isEmpty ? nil : try Shard($0) })
            if dryRun {
                print(LoadReport.dryRun(try loader.dryRun(input), database: db), terminator: "")
            } else {
                let outcome = try loader.load(input)
                if output.quiet {
                    Log.summary(LoadReport.total(outcome, database: db))
                } else {
                    LoadReport.summary(outcome, database: db).forEach(Log.info)
                }
            }
        } catch {
            Log.error("\(error)")
            Log.error(dryRun ? "dry run failed" : "nothing was loaded: the database is as it was")
            throw ExitCode.failure
        }
    }
}
