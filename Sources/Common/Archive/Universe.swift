/// Every USD-M perpetual of the archive, as its bucket listing shows them
/// (`SYMBOLS=all`): the symbol folders under `data/futures/um/monthly/klines/` and
/// `…/daily/klines/` whose names hold no `_` (those are delivery contracts such as
/// `BTCUSDT_250328`), each with the months of its monthly aggTrades files and their
/// bytes (what a download of the symbol costs, and what shards are balanced by).
///
/// Kept under `CACHE/universe/`: `symbols.csv` for users (one line a symbol, its first
/// and last month), `months.csv` (symbol, month, aggTrades bytes) for sharding, and
/// `read.txt` (when and from where the listing was read).
public struct Universe: Equatable, Sendable {
    public struct Listed: Equatable, Sendable {
        public let symbol: Symbol
        /// Bytes of the aggTrades zips of each month with a file, ascending months.
        public let months: [(month: Month, bytes: Int64)]

        public init(symbol: Symbol, months: [(month: Month, bytes: Int64)]) {
            self.symbol = symbol
            self.months = months.sorted { $0.month < $1.month }
        }

        public var first: Month? { months.first?.month }
        public var last: Month? { months.last?.month }
        public var bytes: Int64 { months.reduce(0) { $0 + $1.bytes } }

        /// Whether the symbol has a file in a month of `range`.
        public func trades(in range: ArchiveRange) -> Bool {
            guard let first, let last, let lastMonth = range.months.last else { return false }
            return first <= lastMonth && last >= range.start.month
        }

        public static func == (a: Listed, b: Listed) -> Bool {
            a.symbol == b.symbol && a.months.elementsEqual(b.months) { $0.month == $1.month && $0.bytes == $1.bytes }
        }
    }

    /// Ascending by symbol.
    public let symbols: [Listed]

    public init(_ symbols: [Listed]) {
        self.symbols = symbols.sorted { $0.symbol < $1.symbol }
    }

    /// The perpetuals among the folder names of a klines listing (`…/klines/BTCUSDT/`):
    /// names without `_` that are full symbols as they stand. `skipped`: the names that
    /// are neither a delivery contract nor a symbol the pipeline can name.
    public static func perpetuals(fromPrefixes prefixes: [String]) -> (symbols: [Symbol], skipped: [String]) {
        var symbols = Set<Symbol>(), skipped: [String] = []
        for prefix in prefixes {
            guard let name = prefix.split(separator: "/").last.map(String.init), !name.contains("_") else { continue }
            if let symbol = try? Symbol(name), symbol.full == name { symbols.insert(symbol) } else { skipped.append(name) }
        }
        return (symbols.sorted(), skipped.sorted())
    }

    /// The months and bytes of `symbol`'s aggTrades zips among listed objects (keys
    /// `data/futures/um/monthly/aggTrades/SYM/SYM-aggTrades-YYYY-MM.zip`, or the
    /// daily ones, summed by month); CHECKSUM files and other keys are ignored.
    public static func months(of symbol: Symbol, in objects: [BucketListingPage.Object]) -> [(month: Month, bytes: Int64)] {
        var bytes: [Month: Int64] = [:]
        for object in objects {
            guard object.key.hasPrefix(VerifiedFileListPath.root),
                  let file = ArchiveFile(path: String(object.key.dropFirst(VerifiedFileListPath.root.count))),
                  file.symbol == symbol, file.dataset == .aggTrades else { continue }
            bytes[file.period.month, default: 0] += object.size
        }
        return bytes.keys.sorted().map { ($0, bytes[$0]!) }
    }

    /// The symbols with a file in a month of `range`: what `SYMBOLS=all` processes.
    public func trading(in range: ArchiveRange) -> [Symbol] {
        symbols.filter { $0.trades(in: range) }.map(\.symbol)
    }

    // MARK: files

    public static let symbolsHeader = "symbol,first_month,last_month,months,aggtrades_bytes"
    public static let monthsHeader = "symbol,month,aggtrades_bytes"

    /// `symbols.csv`: one line a symbol, for users.
    public var symbolsText: String {
        var out = Self.symbolsHeader + "\n"
        for listed in symbols {
            out += "\(listed.symbol),\(listed.first.map(\.description) ?? ""),\(listed.last.map(\.description) ?? ""),\(listed.months.count),\(listed.bytes)\n"
        }
        return out
    }

    /// `months.csv`: one line a symbol and month.
    public var monthsText: String {
        var out = Self.monthsHeader + "\n"
        for listed in symbols {
            for (month, bytes) in listed.months { out += "\(listed.symbol),\(month),\(bytes)\n" }
        }
        return out
    }

    /// Reads `months.csv` and `symbols.csv` (a symbol may have no month yet); errors
    /// name the file and line.
    public static func read(symbols symbolsPath: String, months monthsPath: String) throws -> Universe {
        var months: [Symbol: [(month: Month, bytes: Int64)]] = [:]
        for row in try ListingRows.parse(FileSystem.readText(symbolsPath), path: symbolsPath, header: symbolsHeader, fields: 5) {
            guard let symbol = try? Symbol(row.fields[0]), symbol.full == row.fields[0] else {
                throw DataError(file: symbolsPath, line: row.line, "'\(row.fields[0])' is not a full symbol")
            }
            months[symbol] = []
        }
        for row in try ListingRows.parse(FileSystem.readText(monthsPath), path: monthsPath, header: monthsHeader, fields: 3) {
            guard let symbol = try? Symbol(row.fields[0]), months[symbol] != nil else {
                throw DataError(file: monthsPath, line: row.line, "'\(row.fields[0])' is not a symbol of \(symbolsPath)")
            }
            guard let month = Month(row.fields[1]), let bytes = Int64(row.fields[2]), bytes >= 0 else {
                throw DataError(file: monthsPath, line: row.line, "expected a month YYYY-MM and a number of bytes, got '\(row.fields[1])', '\(row.fields[2])'")
            }
            months[symbol]!.append((month, bytes))
        }
        return Universe(months.map { Listed(symbol: $0.key, months: $0.value) })
    }
}

/// Where the archive's files sit in its bucket: keys start with `data/futures/um/`,
/// followed by `ArchiveFile.path`.
public enum VerifiedFileListPath {
    public static let root = "data/futures/um/"

    /// The prefix of the symbol folders of a dataset: `data/futures/um/monthly/klines/`.
    public static func folders(_ frequency: String, _ dataset: Dataset) -> String { "\(root)\(frequency)/\(dataset.rawValue)/" }

    /// The prefix of one symbol's files: `data/futures/um/daily/klines/BTCUSDT/1h/`.
    public static func files(_ frequency: String, _ dataset: Dataset, _ symbol: Symbol) -> String {
        dataset == .klines ? "\(root)\(frequency)/klines/\(symbol.full)/1h/" : "\(root)\(frequency)/\(dataset.rawValue)/\(symbol.full)/"
    }
}
