/// A USD-M perpetual symbol. Users may write it short (`BTC`) or full (`BTCUSDT`),
/// in any case; the archive and the cache use the full form, events the short one.
public struct Symbol: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// `BTCUSDT`
    public let full: String

    public static let quote = "USDT"

    /// Accepts `BTC`, `btc`, `BTCUSDT`; refuses anything that could escape a path
    /// or a URL: the full symbol must match `[A-Z0-9]{2,20}`.
    public init(_ text: String) throws {
        let upper = text.uppercased()
        let full = upper.hasSuffix(Symbol.quote) && upper.count > Symbol.quote.count ? upper : upper + Symbol.quote
        guard Symbol.isWellFormed(upper), Symbol.isWellFormed(full) else {
            throw UsageError("symbol '\(text)' is not a Binance symbol: expected 2 to 20 letters or digits, like BTC or BTCUSDT")
        }
        self.full = full
    }

    /// `[A-Z0-9]{2,20}`
    static func isWellFormed(_ text: String) -> Bool {
        (2...20).contains(text.utf8.count) && text.utf8.allSatisfy {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
        }
    }

    /// `BTC`: the form stored in events and the database.
    public var short: String { String(full.dropLast(Symbol.quote.count)) }

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
