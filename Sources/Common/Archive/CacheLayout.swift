/// Where every artifact of the pipeline lives under `CACHE` (SPEC "Interface").
/// The Makefile spells the same paths; this type is their one definition in code.
public struct CacheLayout: Sendable {
    public let root: String

    public init(root: String) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    // stage-download
    /// `CACHE/archive/<path below data/futures/um/>`: verified zips as published.
    public func archive(_ file: ArchiveFile) -> String {
        precondition(file.source == .archive, "\(file) is a tail file: held(_:) says where it is")
        return "\(root)/archive/\(file.path)"
    }
    /// Where the cache holds `file`: the archive's zip under `archive/`, the tail's CSV under `tail/`.
    public func held(_ file: ArchiveFile) -> String {
        file.source == .archive ? archive(file) : "\(root)/\(file.path)"
    }
    /// The REST tail's files of `symbol`, below `tail/` (`TailFile`).
    public func tail(_ symbol: Symbol) -> [String] {
        ["\(root)/tail/monthly/fundingRate/\(symbol.full)", "\(root)/tail/daily/klines/\(symbol.full)/1h",
         "\(root)/tail/daily/metrics/\(symbol.full)", "\(root)/tail/hourly/aggTrades/\(symbol.full)"]
    }
    public func checksum(_ file: ArchiveFile) -> String { "\(root)/archive/\(file.checksumPath)" }
    /// Left beside a held zip that a stage could not read (`HeldFile`): the next download checks it.
    public func suspect(_ file: ArchiveFile) -> String { archive(file) + ".suspect" }
    public func downloads(_ symbol: Symbol) -> String { "\(root)/download/\(symbol.full)" }
    /// Every verified file of the symbol's plan, one line each.
    public func fileList(_ symbol: Symbol) -> String { "\(downloads(symbol))/files.csv" }
    /// The files of the plan that the archive did not publish (404), for users and `pipeline status`.
    public func missingList(_ symbol: Symbol) -> String { "\(downloads(symbol))/missing.csv" }
    /// The days each held monthly aggTrades/klines file has no row on (`CoverageList`).
    public func coverageList(_ symbol: Symbol) -> String { "\(downloads(symbol))/coverage.csv" }
    /// The verified files that make up one month of the symbol: what stage-flow reads.
    public func monthList(_ symbol: Symbol, _ month: Month) -> String { "\(downloads(symbol))/months/\(month).csv" }
    /// The days the symbol traded inside the range, from the listing of its folders (`TradingSpan`).
    public func tradingSpan(_ symbol: Symbol) -> String { "\(downloads(symbol))/trading.csv" }

    // the universe (SYMBOLS=all): the archive's listing of every perpetual
    public var universe: String { "\(root)/universe" }
    /// One line a symbol: first and last month, bytes of its aggTrades zips.
    public var universeSymbols: String { "\(universe)/symbols.csv" }
    /// One line a symbol and month: bytes of its aggTrades zips (sizes; shards are by name).
    public var universeMonths: String { "\(universe)/months.csv" }
    /// When and from which LIST_URL the listing was read.
    public var universeRead: String { "\(universe)/read.txt" }

    // stage-flow
    public func series(_ symbol: Symbol) -> String { "\(root)/series/\(symbol.full)" }
    public func series(_ symbol: Symbol, _ name: String) -> String { "\(series(symbol))/\(name).csv" }
    public func thresholds(_ symbol: Symbol) -> String { "\(series(symbol))/thresholds.csv" }
    /// One month's hourly values, from which the series are joined.
    public func monthPart(_ symbol: Symbol, _ month: Month) -> String { "\(series(symbol))/months/\(month).csv" }
    /// The months the series were last joined for (make's stamp, written from the plan).
    public func seriesMonths(_ symbol: Symbol) -> String { "\(series(symbol))/months.txt" }
    /// One month's trade count and large-trade threshold, written just before its part.
    public func monthThreshold(_ symbol: Symbol, _ month: Month) -> String { "\(series(symbol))/months/\(month).threshold.csv" }

    // stage-detect, stage-prices, stage-report
    public func events(_ symbol: Symbol) -> String { "\(root)/events/\(symbol.full).jsonl" }
    public func prices(_ symbol: Symbol) -> String { "\(root)/prices/\(symbol.full).jsonl" }
    public var report: String { "\(root)/report" }
    /// The symbols of the last report, and of the last load (make's stamps, written from the plan).
    public var reportSymbols: String { "\(report)/symbols.txt" }
    public var loadSymbols: String { "\(root)/load/symbols.txt" }
}
