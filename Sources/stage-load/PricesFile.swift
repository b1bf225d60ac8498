import Common
import EventStore

/// Reads `CACHE/prices/SYM.jsonl` (SPEC "Interface"): one priced event per line,
///
///     {"symbol":"BTC","dimension":"flow_1h","window_days":7,"triggered_at":1704067200000,
///      "value":811209.83,"percentile":95.2,"price_at_trigger":42000.1,"price_4h":42100.0,
///      "price_12h":null,"price_24h":null,"price_48h":null}
///
/// Every key must be there (a price is `null` when unknown); other keys are ignored.
/// Errors name the file and the line: `prices/BTCUSDT.jsonl:17: missing key "price_4h"`.
enum PricesFile {
    /// Reads the file at `path`. When `symbol` is given, every line must be an event of it.
    static func read(_ path: String, symbol: Symbol?) throws -> [PricedEvent] {
        try parse(FileSystem.readFile(path), path: path, symbol: symbol)
    }

    static func parse(_ bytes: [UInt8], path: String, symbol: Symbol?) throws -> [PricedEvent] {
        var events: [PricedEvent] = []
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            do {
                guard !line.isEmpty else { throw LineError("empty line, expected one JSON object per line") }
                let members: [String: JSONScalar]
                do {
                    members = try JSONObjectLine.parse(line)
                } catch {
                    throw LineError("invalid JSON: \(error.description)")
                }
                events.append(try event(members, symbol: symbol))
            } catch let error as LineError {
                throw DataError(file: path, line: index + 1, error.message)
            }
        }
        return events
    }

    /// The event a line's members describe, once its values make sense: the file's
    /// symbol, one of SPEC's dimensions and windows, an hour's start, a percentile,
    /// positive prices.
    static func event(_ members: [String: JSONScalar], symbol expected: Symbol?) throws(LineError) -> PricedEvent {
        let line = Members(members)
        let symbol = try line.string("symbol")
        let dimension = try line.string("dimension")
        let window = try line.whole("window_days")
        let triggered = try line.whole("triggered_at")
        let value = try line.number("value")
        let percentile = try line.number("percentile")
        let prices = Prices(atTrigger: try line.price("price_at_trigger"), after4h: try line.price("price_4h"),
                            after12h: try line.price("price_12h"), after24h: try line.price("price_24h"),
                            after48h: try line.price("price_48h"))

        if let expected, symbol != expected.short {
            throw LineError("symbol \"\(symbol)\" in the file of \(expected.full), expected \"\(expected.short)\"")
        }
        guard (try? Symbol(symbol))?.short == symbol else {
            throw LineError("symbol \"\(symbol)\" is not a stored Binance symbol like \"BTC\" (BTCUSDT) or \"BTCUSDC\"")
        }
        guard PricedEvent.dimensions.contains(dimension) else {
            throw LineError("dimension \"\(dimension)\" is not one of \(PricedEvent.dimensions.joined(separator: ", "))")
        }
        guard let windowDays = Int(exactly: window), PricedEvent.windows.contains(windowDays) else {
            throw LineError("window_days \(window) is not one of \(PricedEvent.windows.map(String.init).joined(separator: ", "))")
        }
        guard Time.hourStart(triggered) == triggered else {
            throw LineError("triggered_at \(triggered) is not the start of an hour (milliseconds, a multiple of 3600000)")
        }
        guard (0...100).contains(percentile) else {
            throw LineError("percentile \(percentile) is not between 0 and 100")
        }
        let key = EventKey(symbol: symbol, dimension: dimension, windowDays: windowDays, triggeredAt: triggered)
        return PricedEvent(key: key, value: value, percentile: percentile, prices: prices)
    }

    /// What is wrong with one line; the caller adds the file and line number.
    struct LineError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// A line's members, read as the types the format says.
    private struct Members {
        let members: [String: JSONScalar]
        init(_ members: [String: JSONScalar]) { self.members = members }

        func value(_ key: String) throws(LineError) -> JSONScalar {
            guard let value = members[key] else {
                throw LineError("missing key \"\(key)\" (every key is written, a price as null when unknown)")
            }
            return value
        }

        func string(_ key: String) throws(LineError) -> String {
            let found = try value(key)
            guard case .string(let text) = found else { throw LineError("\"\(key)\" is \(found.shown), expected a string") }
            return text
        }

        func whole(_ key: String) throws(LineError) -> Int64 {
            let found = try value(key)
            guard case .number(let text) = found, let number = Int64(text) else {
                throw LineError("\"\(key)\" is \(found.shown), expected a whole number")
            }
            return number
        }

        func number(_ key: String) throws(LineError) -> Double {
            let found = try value(key)
            guard case .number(let text) = found else { throw LineError("\"\(key)\" is \(found.shown), expected a number") }
            // Swift's Double(String) rounds correctly: the double the writer printed.
            guard let number = Double(text), number.isFinite else {
                throw LineError("\"\(key)\" is \(text), out of the range of a double")
            }
            return number
        }

        /// A positive number, or null while the price is unknown.
        func price(_ key: String) throws(LineError) -> Double? {
            if case .null = try value(key) { return nil }
            let price = try number(key)
            guard price > 0 else { throw LineError("\"\(key)\" is \(price), expected a positive price or null") }
            return price
        }
    }
}
