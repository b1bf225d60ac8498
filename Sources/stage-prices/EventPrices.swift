import Common
import Foundation

/// An event line of `events/SYM.jsonl`, and the same line with the prices after
/// it (SPEC "Prices after the event"): close at the trigger hour and 4, 12, 24,
/// 48 h later, `null` where that kline is not in the data (yet).
struct EventPrices {
    /// The fields of an event line this stage needs; the line itself is kept as written.
    struct Event: Decodable {
        let symbol: String
        let dimension: String
        let window_days: Int
        let triggered_at: Int64
        let value: Double
        let percentile: Double
    }

    static let horizons: [(key: String, hours: Int64)] = [("price_4h", 4), ("price_12h", 12), ("price_24h", 24), ("price_48h", 48)]

    /// The priced line: the event's own bytes, then the five prices, in SPEC's order.
    static func price(line: Substring, file: String, number: Int, closes: HourlyCloses) throws -> String {
        let event: Event
        do {
            event = try JSONDecoder().decode(Event.self, from: Data(line.utf8))
        } catch {
            throw DataError(file: file, line: number, "not an event line: \(DataError.reason(decoding: error))")
        }
        guard line.hasSuffix("}") else { throw DataError(file: file, line: number, "expected the line to end with '}'") }
        var out = String(line.dropLast())
        out += ",\"price_at_trigger\":\(NumberFormat.json(closes[event.triggered_at]))"
        for (key, hours) in horizons {
            out += ",\"\(key)\":\(NumberFormat.json(closes[event.triggered_at + hours * Time.hour]))"
        }
        return out + "}"
    }

    /// Every line of the events file, priced, in the same order.
    static func price(eventsText: String, file: String, closes: HourlyCloses) throws -> String {
        var out = ""
        for (index, line) in eventsText.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            out += try price(line: line, file: file, number: index + 1, closes: closes) + "\n"
        }
        return out
    }
}
