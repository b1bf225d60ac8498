import Common
import Foundation
import Testing

/// `make demo` end to end (issue 8): offline, a populated database and report, the REST
/// tail filling what the archive has not published, and no server left running.
extension EndToEndTests {
    @Test("make demo leaves events in the database, a report, and no server running")
    func demo() async throws {
        let workspace = try Workspace()
        let demo = workspace.root + "/demo"
        var args = ["--no-print-directory", "-C", Repository.root]
        for binary in Repository.binaries { args += ["-o", binary] }
        let result = try await Run.process("/usr/bin/env", ["make"] + args + ["demo", "DEMO=\(demo)", "QUIET=1"])
        try #require(result.succeeded, "\(result)")
        let rows = try Database.rows(demo + "/monitor.db")
        #expect(rows.count > 100, "the demo finds events: \(rows.count)")
        #expect(Set(rows.map { $0.contains("BTC") }).count == 2, "both symbols have events")
        try Self.reportMatchesThePrices(cache: demo + "/cache", symbols: ["BTCUSDT", "ETHUSDT"])
        #expect(try workspace.text(demo + "/cache/download/ETHUSDT/missing.csv").contains("ETHUSDT-aggTrades-2024-03-08.zip"))
        #expect(Run.pids(matching: ["demo-archive", "serve", demo]).isEmpty, "the server is stopped")
        // The REST tail filled the day the archive has not published yet and March's funding:
        // every series reaches within 48 hours of the range's end (2024-03-12).
        let end = Day("2024-03-12")!.startMillis
        for symbol in ["BTCUSDT", "ETHUSDT"] {
            for series in ["flow_1h", "oi_change_1h", "funding_rate", "top_position_ratio", "global_account_ratio", "taker_ratio"] {
                let last = try workspace.text("\(demo)/cache/series/\(symbol)/\(series).csv").split(separator: "\n").last!
                let hour = try #require(Millis(last.prefix { $0 != "," }))
                #expect(hour >= end - 48 * Time.hour, "\(symbol) \(series) ends at \(Time.iso(hour))")
            }
            #expect(FileSystem.exists("\(demo)/cache/tail/monthly/fundingRate/\(symbol)/\(symbol)-fundingRate-2024-03.csv"))
        }

        #expect(result.output.contains("sqlite3 \(demo)/monitor.db"), "the demo says where to look")
    }

    /// The report against the prices files it was made from, counted here without the
    /// report's code: summary.csv has a row per symbol × dimension × window (7, 30, 90) ×
    /// sign × horizon (4, 12, 24, 48), whose `events` and `events_with_price` are the
    /// prices files' events of that group (sign: of the value, for the ratios of value − 1)
    /// and those with both prices; the page's headline lists exactly the rows with
    /// q_value ≤ 0.05, "None." when there is none, out of the rows with a p-value.
    static func reportMatchesThePrices(cache: String, symbols: [String]) throws {
        let ratios: Set<String> = ["top_position_ratio", "global_account_ratio", "taker_ratio"]
        let horizons = ["4": "price_4h", "12": "price_12h", "24": "price_24h", "48": "price_48h"]
        // (symbol, dimension, window, sign) → events; + horizon → events with both prices
        var events: [String: Int] = [:], withPrice: [String: Int] = [:]
        for symbol in symbols {
            for line in try String(contentsOfFile: "\(cache)/prices/\(symbol).jsonl", encoding: .utf8).split(separator: "\n") {
                let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let dimension = try #require(event["dimension"] as? String), value = try #require((event["value"] as? NSNumber)?.doubleValue)
                let pivot = ratios.contains(dimension) ? 1.0 : 0.0
                guard value != pivot else { continue }   // no direction: in no group
                let short = try #require(event["symbol"] as? String), window = try #require((event["window_days"] as? NSNumber)?.intValue)
                let group = "\(short),\(dimension),\(window),\(value > pivot ? "positive" : "negative")"
                events[group, default: 0] += 1
                func known(_ key: String) -> Bool { event[key] != nil && !(event[key] is NSNull) }
                for (horizon, key) in horizons where known("price_at_trigger") && known(key) {
                    withPrice[group + "," + horizon, default: 0] += 1
                }
            }
        }
        let lines = try String(contentsOfFile: cache + "/report/summary.csv", encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name), "summary.csv has \(name)") }
        let (eventsColumn, pricedColumn, pColumn, qColumn) = (try column("events"), try column("events_with_price"), try column("p_value"), try column("q_value"))
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == symbols.count * 6 * 3 * 2 * 4, "a row per symbol, dimension, window, sign and horizon")
        var groups = Set<String>(), wrong: [String] = []
        for row in rows {
            let group = row[0...3].joined(separator: ","), cell = row[0...4].joined(separator: ",")
            groups.insert(group)
            let counted = (events[group] ?? 0, withPrice[cell] ?? 0)
            if (Int(row[eventsColumn]), Int(row[pricedColumn])) != (counted.0, counted.1) {
                wrong.append("\(cell): \(row[eventsColumn]) events, \(row[pricedColumn]) with a price; the prices files: \(counted.0), \(counted.1)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) rows differ from the prices files, first: \(wrong.prefix(3))")
        #expect(Set(events.keys).isSubset(of: groups), "every group of events has its rows")

        let findings = rows.filter { Double($0[qColumn]).map { $0 <= 0.05 } ?? false }.count
        let tested = rows.filter { !$0[pColumn].isEmpty }.count
        let page = try String(contentsOfFile: cache + "/report/index.html", encoding: .utf8)
        let headline = try #require(page.range(of: "<h2 id=\"highlights\">").map { String(page[$0.lowerBound...].prefix(2000)) }, "the page has its headline")
        if findings == 0 {
            #expect(headline.contains("<strong>None.</strong>"), "no row with q ≤ 0.05: the headline says none: \(headline)")
        } else {
            #expect(headline.contains("<strong>\(findings) of \(tested) tested cells</strong>"), "\(findings) findings of \(tested): \(headline)")
        }
    }
}
