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
        #expect(FileSystem.exists(demo + "/cache/report/index.html"))
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
}
