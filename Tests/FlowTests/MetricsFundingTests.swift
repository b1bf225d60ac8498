import Common
import Testing
@testable import stage_flow

@Suite("metrics and funding dimensions: the last row of each hour, gaps stay gaps")
struct MetricsFundingTests {
    /// A metrics row: create_time, symbol, OI, OI value, count top ratio, top ratio, global ratio, taker ratio.
    func row(_ time: String, oi: String, top: String = "1.5", global: String = "2.0", taker: String = "0.9") -> String {
        "\(time),BTCUSDT,\(oi),1,1,\(top),\(global),\(taker)\n"
    }

    func part(_ cache: FixtureCache, _ month: String = "2024-01") throws -> MonthPart {
        let flow = MonthFlow(symbol: cache.symbol, month: Month(month)!, layout: cache.layout)
        return try flow.compute(flow.fileList())
    }

    @Test("each hour takes its last row by create_time, also when rows are out of order")
    func lastRowOfHour() throws {
        let cache = try FixtureCache()
        let csv = metricsHeader
            + row("2024-01-01 00:00:00", oi: "100")
            + row("2024-01-01 00:55:00", oi: "110", top: "1.25")
            + row("2024-01-01 00:05:00", oi: "105")   // earlier, later in the file
            + row("2024-01-01 01:00:00", oi: "121")
        try cache.list("2024-01", [cache.put(cache.file(.metrics, "2024-01-01"), csv: csv)])
        let p = try part(cache)
        #expect(p.hours[ms("2024-01-01", 0)]?.openInterest == 110)
        #expect(p.hours[ms("2024-01-01", 0)]?.topPositionRatio == 1.25)
        #expect(p.hours[ms("2024-01-01", 0)]?.metricsTime == ms("2024-01-01", 0, 55))
        #expect(p.hours[ms("2024-01-01", 1)]?.openInterest == 121)
    }

    @Test("create_time as milliseconds reads like the text form")
    func numericCreateTime() throws {
        let cache = try FixtureCache()
        let csv = row("\(ms("2024-01-01", 3, 5))", oi: "7") + row("2024-01-01 04:05:00", oi: "8")
        try cache.list("2024-01", [cache.put(cache.file(.metrics, "2024-01-01"), csv: csv)])
        let p = try part(cache)
        #expect(p.hours[ms("2024-01-01", 3)]?.openInterest == 7)
        #expect(p.hours[ms("2024-01-01", 4)]?.openInterest == 8)
    }

    @Test("an empty cell leaves the column to the hour's last row that has it")
    func emptyCell() throws {
        let cache = try FixtureCache()
        let csv = row("2024-01-01 00:00:00", oi: "100", taker: "0.8") + row("2024-01-01 00:05:00", oi: "101", taker: "")
        try cache.list("2024-01", [cache.put(cache.file(.metrics, "2024-01-01"), csv: csv)])
        let p = try part(cache)
        #expect(p.hours[ms("2024-01-01", 0)]?.takerRatio == 0.8)
        #expect(p.hours[ms("2024-01-01", 0)]?.openInterest == 101)
    }

    @Test("oi_change_1h needs OI at h and h−1; missing hours are gaps in every metrics series")
    func oiChangeWithGaps() throws {
        let cache = try FixtureCache()
        let csv = row("2024-01-01 00:10:00", oi: "100") + row("2024-01-01 01:10:00", oi: "125")
            + row("2024-01-01 03:10:00", oi: "150") + row("2024-01-01 04:10:00", oi: "120")
        try cache.list("2024-01", [cache.put(cache.file(.metrics, "2024-01-01"), csv: csv)])
        let range = ArchiveRange(end: Day("2024-02-01")!, days: 31)
        let set = SeriesSet(parts: [try part(cache)], range: range)
        let change = set.series["oi_change_1h"]!
        let expectedTimes: [Millis] = [ms("2024-01-01", 1), ms("2024-01-01", 4)]
        let expectedValues: [Double] = [125.0 / 100 - 1, 120.0 / 150 - 1]
        #expect(change.map(\.0) == expectedTimes)
        #expect(change.map(\.1) == expectedValues)
        let ratioHours: [Millis] = [0, 1, 3, 4].map { ms("2024-01-01", $0) }
        #expect(set.series["top_position_ratio"]!.map(\.0) == ratioHours)
        #expect(set.series["flow_1h"]!.isEmpty)
    }

    @Test("oi_change_1h across a month boundary uses the previous month's last hour")
    func oiChangeAcrossMonths() throws {
        let cache = try FixtureCache()
        try cache.list("2024-01", [cache.put(cache.file(.metrics, "2024-01-31"), csv: row("2024-01-31 23:55:00", oi: "200"))])
        try cache.list("2024-02", [cache.put(cache.file(.metrics, "2024-02-01"), csv: row("2024-02-01 00:00:00", oi: "210"))])
        let range = ArchiveRange(end: Day("2024-02-02")!, days: 5)
        let set = SeriesSet(parts: [try part(cache, "2024-01"), try part(cache, "2024-02")], range: range)
        let change = set.series["oi_change_1h"]!
        #expect(change.count == 1)
        #expect(change.first?.0 == ms("2024-02-01", 0))
        #expect(change.first?.1 == 210.0 / 200 - 1)
    }

    @Test("a metrics row stamped in the next month still lands in its hour")
    func rowInNextMonth() throws {
        let cache = try FixtureCache()
        try cache.list("2024-01", [cache.put(cache.file(.metrics, "2024-01-31"),
                                             csv: row("2024-01-31 23:55:00", oi: "200") + row("2024-02-01 00:00:00", oi: "205"))])
        try cache.list("2024-02", [cache.put(cache.file(.metrics, "2024-02-01"), csv: row("2024-02-01 00:05:00", oi: "206"))])
        let range = ArchiveRange(end: Day("2024-02-02")!, days: 5)
        let set = SeriesSet(parts: [try part(cache, "2024-01"), try part(cache, "2024-02")], range: range)
        let change = set.series["oi_change_1h"]!
        #expect(change.count == 1)
        #expect(change.first?.1 == 206.0 / 200 - 1)
    }

    @Test("funding: one row per settlement at the hour of calc_time; two in an hour, the later")
    func funding() throws {
        let cache = try FixtureCache()
        let csv = fundingHeader
            + "\(ms("2024-01-01", 0) + 5),8,0.00010000\n"
            + "\(ms("2024-01-01", 8) + 2),4,-0.00020000\n"
            + "\(ms("2024-01-01", 12) + 30_000),4,0.00030000\n"
            + "\(ms("2024-01-01", 12) + 1),1,0.00099000\n"   // earlier in the same hour: loses
        try cache.list("2024-01", [cache.put(cache.file(.fundingRate, "2024-01"), csv: csv)])
        let set = SeriesSet(parts: [try part(cache)], range: ArchiveRange(end: Day("2024-02-01")!, days: 31))
        let funding = set.series["funding_rate"]!
        let hours: [Millis] = [0, 8, 12].map { ms("2024-01-01", $0) }
        let rates: [Double] = [0.0001, -0.0002, 0.0003]
        #expect(funding.map(\.0) == hours)
        #expect(funding.map(\.1) == rates)
    }

    @Test("series files: header timestamp,value, ascending, numbers in shortest form")
    func seriesFiles() throws {
        let cache = try FixtureCache()
        try cache.list("2024-01", [cache.put(cache.file(.fundingRate, "2024-01"), csv: "\(ms("2024-01-02", 16)),8,0.00001000\n\(ms("2024-01-01", 16)),8,0.00012500\n")])
        let set = SeriesSet(parts: [try part(cache)], range: ArchiveRange(end: Day("2024-02-01")!, days: 31))
        #expect(set.csvFiles["funding_rate"] == "timestamp,value\n\(ms("2024-01-01", 16)),0.000125\n\(ms("2024-01-02", 16)),1e-05\n")
        #expect(set.csvFiles["thresholds"] == "month,trades,threshold\n2024-01,0,100000.0\n")
    }

    @Test("a month part reads back to the same values")
    func partRoundTrip() throws {
        let cache = try FixtureCache()
        try cache.list("2024-01", [
            cache.put(cache.file(.metrics, "2024-01-01"), csv: row("2024-01-01 00:10:00", oi: "100.123456789")),
            cache.put(cache.file(.aggTrades, "2024-01-01"), csv: trade(1, "42000.1", "0.003", ms("2024-01-01", 0), maker: true)),
        ])
        let p = try part(cache)
        try p.write(cache.symbol, in: cache.layout)
        #expect(try MonthPart.read(cache.symbol, Month("2024-01")!, in: cache.layout) == p)
    }
}
