/// A USD-M perpetual symbol. Users may write it short (`BTC`) or full (`BTCUSDT`,
/// `BTCUSDC`), in any case; the archive and the cache use the full form, events and
/// the database the stored form (`stored`).
///
/// A name is full when it ends in a quote asset the archive uses (`quotes`) after at
/// least one character of base; any other name is a bare base and gets `USDT`:
/// `BTC` → `BTCUSDT`, `BTCUSDC` stays `BTCUSDC`, `ETHBTC` stays `ETHBTC`.
public struct Symbol: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// `BTCUSDT`
    public let full: String

    /// What a bare base gets.
    public static let quote = "USDT"

    /// The quote assets of USD-M perpetuals in the archive (data/futures/um/): the
    /// stablecoins, and BTC (`ETHBTC`). Longest first, so that `FDUSD` is not read
    /// as `…USD`.
    public static let quotes = ["FDUSD", "USDT", "USDC", "BUSD", "TUSD", "BTC"]

    /// Accepts `BTC`, `btc`, `BTCUSDT`, `BTCUSDC`; refuses anything that could escape
    /// a path or a URL: the full symbol must match `[A-Z0-9]{2,20}`.
    public init(_ text: String) throws {
        let upper = text.uppercased()
        let full = Symbol.quoteOf(upper) != nil ? upper : upper + Symbol.quote
        guard Symbol.isWellFormed(upper), Symbol.isWellFormed(full) else {
            throw UsageError("symbol '\(text)' is not a Binance symbol: expected 2 to 20 letters or digits, like BTC, BTCUSDT or BTCUSDC")
        }
        self.full = full
    }

    /// The quote asset `upper` ends in after at least one character of base, if any.
    static func quoteOf(_ upper: String) -> String? {
        quotes.first { upper.hasSuffix($0) && upper.utf8.count > $0.utf8.count }
    }

    /// `[A-Z0-9]{2,20}`
    static func isWellFormed(_ text: String) -> Bool {
        (2...20).contains(text.utf8.count) && text.utf8.allSatisfy {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
        }
    }

    /// `USDT` for `BTCUSDT`, `USDC` for `BTCUSDC`.
    public var quoteAsset: String { Symbol.quoteOf(full) ?? Symbol.quote }

    /// The form stored in events and the database: the shortest name that reads back
    /// as this symbol. `BTC` for `BTCUSDT` (USDT is what a bare base means); the full
    /// name for every other quote (`BTCUSDC`), and for a USDT symbol whose base itself
    /// ends in a quote (`XUSDCUSDT`, since `XUSDC` would read as X quoted in USDC).
    /// So BTCUSDT and BTCUSDC never share a row key, and rows loaded before USDC
    /// symbols existed (`BTC`) keep their key.
    public var short: String {
        guard full.hasSuffix(Symbol.quote) else { return full }
        let base = String(full.dropLast(Symbol.quote.count))
        return (try? Symbol(base))?.full == full ? base : full
    }

    public var description: String { full }

    public static func < (a: Symbol, b: Symbol) -> Bool { a.full < b.full }

    /// Parses a list separated by spaces or commas, keeping the first occurrence of each.
    public static func list(_ text: String) throws -> [Symbol] {
        var seen = Set<Symbol>()
        var result: [Symbol] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }) {
            let symbol = try Symbol(String(word))
            if seen.insert(symbol).inserted { result.append(symbol) }
        }
        guard !result.isEmpty else { throw UsageError("no symbol given") }
        return result
    }
}
