import ArchiveFixture
import Common
import Foundation
import Testing

/// SPEC "Quirks": a monthly file can cover less than its month. One make all fetches
/// the daily files of the days it lacks; a day whose daily file is not published
/// stays a gap; once it is, one more run ends as a clean run on the whole archive.
extension EndToEndTests {
    /// `file`'s CSV without the rows that fall on `days` (by transact_time or open_time).
    func csv(_ file: ArchiveFile, without days: Set<Day>) -> [UInt8] {
        let field = file.dataset == .aggTrades ? 5 : 0
        let text = String(decoding: archive.archive.csv[file]!, as: UTF8.self)
        let kept = text.split(separator: "\n").filter { line in
            guard let stamp = Int64(line.split(separator: ",")[field]) else { return true }  // a header
            return !days.contains(Day(containing: stamp))
        }
        return Array((kept.joined(separator: "\n") + "\n").utf8)
    }

    @Test("A monthly file lacking days: one make all takes them from their daily files; a daily 404 stays a gap until published")
    func incompleteMonthlyFile() async throws {
        let expected = try await cleanOutputs(archive)
        let btc = try Symbol("BTCUSDT")
        let trades = archive.file("BTCUSDT", .aggTrades, "2024-01"), klines = archive.file("BTCUSDT", .klines, "2024-01")
        let jan14 = Day("2024-01-14")!, jan15 = Day("2024-01-15")!, jan20 = Day("2024-01-20")!
        let late = archive.file("BTCUSDT", .aggTrades, "2024-01-15")
        try await ArchiveServer.with(files: archive.served(without: late)) { server in
            server.publish(trades, csv: csv(trades, without: [jan14, jan15]))
            server.publish(klines, csv: csv(klines, without: [jan20]))
            let workspace = try Workspace()
            let first = try await makeAll(workspace, server)
            try #require(first.succeeded, "\(first)")
            #expect(first.output.contains("no trade on 1 day"), "stage-flow names the gap")
            let coverage = try workspace.text(workspace.layout.coverageList(btc))
            #expect(coverage.contains("\(trades.path),") && coverage.contains(",2024-01-14 2024-01-15\n"))
            #expect(coverage.contains(",2024-01-20\n"))
            #expect(try workspace.text(workspace.layout.missingList(btc)).contains("\(late.path),"))
            let flow = try Expectations.series(workspace.layout.series(btc, "flow_1h"))
            #expect(!flow.contains { Day(containing: $0.time) == jan15 }, "a day without any trade has no flow_1h row, not 0")
            #expect(flow.filter { Day(containing: $0.time) == jan14 }.count == 24)

            // the day is published late: one more run, and the outputs are a clean run's
            server.publish(late, zip: archive.served[TestArchive.path(late)]!)
            let second = try await makeAll(workspace, server)
            try #require(second.succeeded, "\(second)")
            // The files and the table: the events the gap gave are retired.
            let after = try Outputs.of(workspace)
            #expect(after == expected, "\(after.differences(from: expected))")

            // and a clean run on this archive gets there in one make all
            let fresh = try Workspace()
            let clean = try await makeAll(fresh, server)
            try #require(clean.succeeded, "\(clean)")
            #expect(try Outputs.of(fresh) == expected)
        }
    }
}
