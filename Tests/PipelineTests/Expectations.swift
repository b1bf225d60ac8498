import ArchiveFixture
import Common
import Foundation
import Testing

/// Checks of a finished run against `Reference`.
enum Expectations {
    static func series(_ path: String) throws -> [Reference.Point] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "timestamp,value", "\(path) header")
        return lines.dropFirst().map { line in
            let f = line.split(separator: ",")
            return (Int64(f[0])!, Double(f[1])!)
        }
    }

    static func expectEqual(_ actual: [Reference.Point], _ expected: [Reference.Point], _ name: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, "\(name): \(actual.count) rows, expected \(expected.count)", sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) where a.time != e.time || a.value.bitPattern != e.value.bitPattern {
            Issue.record("\(name): first difference at \(a.time): \(a.value), expected \(e.time): \(e.value)", sourceLocation: sourceLocation)
            return
        }
    }

    static func seriesMatchReference(_ w: Workspace, _ a: TestArchive, _ symbol: Symbol) throws {
        let folder = w.cache + "/series/" + symbol.full + "/"
        let flow = Reference.flow(a.archive, symbol)
        expectEqual(try series(folder + "flow_1h.csv"), flow.series, "\(symbol) flow_1h")
        let thresholds = try String(contentsOfFile: folder + "thresholds.csv", encoding: .utf8)
        #expect(thresholds == "month,trades,threshold\n" + flow.thresholds.map { "\($0.month),\($0.trades),\($0.threshold)\n" }.joined())
        expectEqual(try series(folder + "oi_change_1h.csv"), Reference.openInterestChange(a.archive, symbol), "\(symbol) oi_change_1h")
        expectEqual(try series(folder + "funding_rate.csv"), Reference.funding(a.archive, symbol), "\(symbol) funding_rate")
        expectEqual(try series(folder + "top_position_ratio.csv"), Reference.metrics(a.archive, symbol, column: 5), "\(symbol) top_position_ratio")
        expectEqual(try series(folder + "global_account_ratio.csv"), Reference.metrics(a.archive, symbol, column: 6), "\(symbol) global_account_ratio")
        expectEqual(try series(folder + "taker_ratio.csv"), Reference.metrics(a.archive, symbol, column: 7), "\(symbol) taker_ratio")
    }

    /// The flat JSON objects of a JSON-lines file, numbers read with `Double(String)`
    /// (correctly rounded; Foundation's JSON parser is not, in its last digit).
    static func jsonLines(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(flatObject)
    }

    static func flatObject(_ line: Substring) -> [String: Any] {
        var object: [String: Any] = [:]
        var rest = line.dropFirst().dropLast()  // { … }
        while !rest.isEmpty {
            let keyEnd = rest.dropFirst().firstIndex(of: "\"")!
            let key = String(rest[rest.index(after: rest.startIndex)..<keyEnd])
            rest = rest[rest.index(keyEnd, offsetBy: 2)...]  // past `":`
            let valueEnd: Substring.Index
            if rest.first == "\"" {
                valueEnd = rest.index(after: rest.dropFirst().firstIndex(of: "\"")!)
                object[key] = String(rest[rest.index(after: rest.startIndex)..<rest.index(before: valueEnd)])
            } else {
                valueEnd = rest.firstIndex(of: ",") ?? rest.endIndex
                let text = rest[..<valueEnd]
                object[key] = text == "null" ? nil : (Int64(text).map { $0 as Any } ?? Double(text)! as Any)
            }
            rest = valueEnd < rest.endIndex ? rest[rest.index(after: valueEnd)...] : ""
        }
        return object
    }

    static func double(_ value: Any?) -> Double? {
        switch value {
        case let d as Double: return d
        case let i as Int64: return Double(i)
        default: return nil
        }
    }

    /// The events of all six dimensions and three windows, by the slow rule (SPEC "Extreme
    /// events") on series recomputed from the archive's CSV text. `nonEmpty`: the windows
    /// for which every dimension must have events (a range shorter than W has none).
    static func eventsMatchReference(_ w: Workspace, _ a: TestArchive, _ symbol: Symbol, nonEmpty: Set<Int> = [7]) throws {
        let events = try jsonLines(w.layout.events(symbol))
        let cases: [(String, [Reference.Point], Bool)] = [
            ("flow_1h", Reference.flow(a.archive, symbol).series, false),
            ("oi_change_1h", Reference.openInterestChange(a.archive, symbol), false),
            ("funding_rate", Reference.funding(a.archive, symbol), false),
            ("top_position_ratio", Reference.metrics(a.archive, symbol, column: 5), true),
            ("global_account_ratio", Reference.metrics(a.archive, symbol, column: 6), true),
            ("taker_ratio", Reference.metrics(a.archive, symbol, column: 7), true),
        ]
        for (dimension, points, logScore) in cases {
            for window in [7, 30, 90] {
                let expected = Reference.events(points, windowHours: window * 24, logScore: logScore)
                let actual = events.filter { $0["dimension"] as? String == dimension && $0["window_days"] as? Int64 == Int64(window) }
                #expect(actual.count == expected.count, "\(symbol) \(dimension) \(window) d: \(actual.count) events, expected \(expected.count)")
                if nonEmpty.contains(window) { #expect(!expected.isEmpty, "the test archive should have \(dimension) \(window) d events") }
                for (e, x) in zip(actual, expected) {
                    #expect(e["symbol"] as? String == symbol.short)
                    #expect(e["triggered_at"] as? Int64 == x.time)
                    #expect(double(e["value"]) == x.value)
                    #expect(double(e["percentile"]) == x.percentile)
                }
            }
        }
    }

    static func pricesMatchKlines(_ w: Workspace, _ a: TestArchive, _ symbol: Symbol) throws {
        let closes = Reference.closes(a.archive, symbol)
        let events = try jsonLines(w.layout.events(symbol))
        let prices = try jsonLines(w.layout.prices(symbol))
        #expect(prices.count == events.count)
        var nulls = 0
        for line in prices {
            let t = line["triggered_at"] as! Int64
            for (key, hours) in zip(Horizon.priceKeys, [0] + Horizon.hours) {
                let expected = closes[t + Int64(hours) * Time.hour]
                if expected == nil { nulls += 1 }
                #expect(double(line[key]) == expected, "\(symbol) \(key) of the event at \(t)")
            }
        }
        #expect(nulls > 0, "events near END have no price 48 h later")
    }

    static func databaseHoldsThePrices(_ w: Workspace, _ a: TestArchive) throws {
        var expected: [String] = []
        for symbol in a.symbols {
            for line in try jsonLines(w.layout.prices(symbol)) {
                let number = { (key: String) -> String in double(line[key]).map { "\($0)" } ?? "NULL" }
                expected.append([line["symbol"] as! String, line["dimension"] as! String, "\(line["window_days"]!)",
                                 "\(line["triggered_at"]!)", number("value"), number("percentile"), number("price_at_trigger"),
                                 number("price_4h"), number("price_12h"), number("price_24h"), number("price_48h")].joined(separator: "|"))
            }
        }
        let rows = try Database.plainRows(w.db)
        #expect(rows.count == expected.count)
        #expect(rows.sorted() == expected.sorted())
    }
}
