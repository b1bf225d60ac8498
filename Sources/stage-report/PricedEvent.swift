import Common
import Foundation

/// One line of `prices/SYM.jsonl` (SPEC "Interface"): an event and the closes at
/// its hour and 4, 12, 24, 48 h later, nil where stage-prices wrote `null`.
struct PricedEvent: Equatable, Sendable {
    let dimension: Dimension
    let windowDays: Int
    let triggeredAt: Millis
    /// Signed and unscored, as stage-detect wrote it.
    let value: Double
    let percentile: Double
    let priceAtTrigger: Double?
    /// The closes at `Horizon.all`, in that order.
    let pricesAfter: [Double?]

    var sign: Sign? { Sign(of: value, dimension) }

    /// price_Nh / price_at_trigger − 1 at each of `Horizon.all`, nil where either price is unknown.
    var forwardReturns: [Double?] {
        pricesAfter.map { after in
            guard let after, let priceAtTrigger else { return nil }
            return after / priceAtTrigger - 1
        }
    }
}

/// The forward horizons of SPEC "Prices after the event".
enum Horizon {
    static let hours = [4, 12, 24, 48]
    /// The JSON keys of the closes at `hours`.
    static let keys = hours.map { "price_\($0)h" }
}

/// Reads a prices file; errors name the file and line.
enum PricesFile {
    static func read(_ path: String, symbol: Symbol) throws -> [PricedEvent] {
        guard FileSystem.exists(path) else {
            throw DataError(file: path, "no such file; stage-prices writes it (make prices SYMBOL=\(symbol.short))")
        }
        return try parse(FileSystem.readText(path), file: path, symbol: symbol)
    }

    /// Every non-empty line of `text`, in file order.
    static func parse(_ text: String, file: String, symbol: Symbol) throws -> [PricedEvent] {
        let decoder = JSONDecoder()
        var events: [PricedEvent] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let number = index + 1
            let fields: Line
            do {
                fields = try decoder.decode(Line.self, from: Data(line.utf8))
            } catch {
                throw DataError(file: file, line: number, "not a priced event line: \(DataError.reason(decoding: error))")
            }
            events.append(try fields.event(file: file, line: number, symbol: symbol))
        }
        return events
    }

    /// The fields of a line as JSON spells them. Every price key must be present,
    /// its value a number or `null`.
    private struct Line: Decodable {
        let symbol: String
        let dimension: String
        let windowDays: Int
        let triggeredAt: Int64
        let value: Double
        let percentile: Double
        let prices: [Double?]

        private struct Key: CodingKey {
            let stringValue: String
            init(_ name: String) { stringValue = name }
            init?(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            symbol = try c.decode(String.self, forKey: Key("symbol"))
            dimension = try c.decode(String.self, forKey: Key("dimension"))
            windowDays = try c.decode(Int.self, forKey: Key("window_days"))
            triggeredAt = try c.decode(Int64.self, forKey: Key("triggered_at"))
            value = try c.decode(Double.self, forKey: Key("value"))
            percentile = try c.decode(Double.self, forKey: Key("percentile"))
            prices = try (["price_at_trigger"] + Horizon.keys).map { key in
                guard c.contains(Key(key)) else {
                    throw DecodingError.keyNotFound(Key(key), .init(codingPath: [], debugDescription: ""))
                }
                return try c.decodeNil(forKey: Key(key)) ? nil : c.decode(Double.self, forKey: Key(key))
            }
        }

        func event(file: String, line: Int, symbol expected: Symbol) throws -> PricedEvent {
            guard symbol == expected.short else {
                throw DataError(file: file, line: line, "symbol \"\(symbol)\" in the file of \(expected.full); expected \"\(expected.short)\"")
            }
            guard let dim = Dimension(rawValue: dimension) else {
                throw DataError(file: file, line: line, "dimension \"\(dimension)\" is not one of \(Dimension.names)")
            }
            guard windowDays >= 1 else {
                throw DataError(file: file, line: line, "window_days must be a whole number of days, at least 1; got \(windowDays)")
            }
            guard triggeredAt % Time.hour == 0 else {
                throw DataError(file: file, line: line, "triggered_at \(triggeredAt) is not the start of an hour (a multiple of \(Time.hour) ms)")
            }
            for (key, price) in zip(["price_at_trigger"] + Horizon.keys, prices) {
                if let price, !(price > 0) {
                    throw DataError(file: file, line: line, "\(key) must be a close above 0 or null; got \(NumberFormat.shortest(price))")
                }
            }
            return PricedEvent(dimension: dim, windowDays: windowDays, triggeredAt: triggeredAt, value: value,
                               percentile: percentile, priceAtTrigger: prices[0], pricesAfter: Array(prices.dropFirst()))
        }
    }
}
