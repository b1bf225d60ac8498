import ArgumentParser
import Glibc

/// `--cache`: the root of every intermediate file.
public struct CacheOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Root of every intermediate file (make: CACHE).", valueName: "dir"))
    public var cache: String = "data/backfill_cache"

    public init() {}

    public var layout: CacheLayout { CacheLayout(root: cache) }
}

/// `--symbols` / `--symbol`: which perpetuals to process.
public struct SymbolOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Symbols, separated by spaces or commas (make: SYMBOLS).", valueName: "list"))
    public var symbols: String = "BTCUSDT ETHUSDT"

    @Option(name: .long, help: ArgumentHelp("One symbol, short or full (BTC = BTCUSDT); overrides --symbols (make: SYMBOL).", valueName: "symbol"))
    public var symbol: String?

    public init() {}

    public mutating func validate() throws {
        _ = try resolved()
    }

    /// The symbols to process, validated and in the order given.
    public func resolved() throws -> [Symbol] {
        if let symbol, !symbol.isEmpty { return [try Symbol(symbol)] }
        return try Symbol.list(symbols)
    }
}

/// `--end` / `--days`: the range of SPEC "The range".
public struct RangeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("First day NOT in the range, YYYY-MM-DD, UTC; default today (make: END).", valueName: "day"))
    public var end: String?

    @Option(name: .long, help: ArgumentHelp("How far back from END the range reaches; it then starts on that month's 1st (make: DAYS).", valueName: "n"))
    public var days: Int = 365

    public init() {}

    public mutating func validate() throws {
        _ = try range()
    }

    public func range() throws -> ArchiveRange {
        guard days >= 1 else { throw UsageError("--days must be at least 1, got \(days)") }
        return ArchiveRange(end: try endDay(), days: days)
    }

    public func endDay() throws -> Day {
        guard let end, !end.isEmpty else { return Day.today }
        guard let day = Day(end) else { throw UsageError("--end must be a date YYYY-MM-DD, got '\(end)'") }
        return day
    }
}
