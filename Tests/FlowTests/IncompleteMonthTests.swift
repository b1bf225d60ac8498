import ArchiveFixture
import Common
import Testing
@testable import stage_flow

/// SPEC "Quirks": a monthly trades file can cover less than its month. A day on
/// which no trade of the month's files falls is not covered: its hours have no
/// flow_1h value (not 0). The daily files of such days follow the monthly file.
@Suite("monthly files that lack days")
struct IncompleteMonthTests {
    func compute(_ cache: FixtureCache, _ month: String = "2024-01") throws -> MonthPart {
        let flow = MonthFlow(symbol: cache.symbol, month: Month(month)!, layout: cache.layout)
        return try flow.compute(flow.fileList())
    }

    /// One buy per hour 12 of every day of January except `skipped`, notional = the day's number.
    func monthly(skipping skipped: Set<Int>) -> String {
        (1...31).filter { !skipped.contains($0) }.map { d in
            trade(d, "1", "\(d)", ms("2024-01-\(d < 10 ? "0" : "")\(d)", 12), maker: false)
        }.joined()
    }

    @Test("a monthly file without Jan 2 and 3: those 48 hours have no row, every other day has 24")
    func daysWithoutTrades() throws {
        let cache = try FixtureCache()
        try cache.list("2024-01", [cache.put(cache.file(.aggTrades, "2024-01"), csv: aggTradesHeader + monthly(skipping: [2, 3]))])
        let part = try compute(cache)
        #expect(part.trades == 29)
        for hour in 0..<24 {
            #expect(part.hours[ms("2024-01-02", hour)]?.flow == nil)
            #expect(part.hours[ms("2024-01-03", hour)]?.flow == nil)
        }
        #expect(part.hours[ms("2024-01-01", 0)]?.flow == 0)
        #expect(part.hours[ms("2024-01-04", 23)]?.flow == 0)
        #expect(part.hours.values.compactMap(\.flow).count == 29 * 24)
        // n = 29, i = floor(27.55) = 27: the 28th smallest notional, 30 (days 2, 3 absent)
        #expect(part.threshold == 30)
        #expect(part.hours[ms("2024-01-31", 12)]?.flow == 31)
    }

    @Test("the daily files of the missing days follow the monthly file: one threshold over all trades")
    func dailyFilesAppended() throws {
        let cache = try FixtureCache()
        // Monthly: days 1 and 4…31, notional = day (29 trades, buys). Daily Jan 3: a sell
        // of 40 at 05:00 and a buy of 2.5 at 05:30. Daily Jan 2 was not published.
        let day3 = trade(100, "4", "10", ms("2024-01-03", 5), maker: true) + trade(101, "0.5", "5", ms("2024-01-03", 5, 30), maker: false)
        try cache.list("2024-01", [
            cache.put(cache.file(.aggTrades, "2024-01"), csv: monthly(skipping: [2, 3])),
            cache.put(cache.file(.aggTrades, "2024-01-03"), csv: aggTradesHeader + day3),
        ])
        let flow = MonthFlow(symbol: cache.symbol, month: Month("2024-01")!, layout: cache.layout)
        #expect(flow.tradeFiles(try flow.fileList()) == [cache.file(.aggTrades, "2024-01"), cache.file(.aggTrades, "2024-01-03")])
        let part = try compute(cache)
        // n = 31 notionals {1, 2.5, 4…31, 40}: i = floor(29.45) = 29, v[29] = 31
        // (the monthly file alone gives 30, as above).
        #expect(part.trades == 31)
        #expect(part.threshold == 31)
        #expect(part.hours[ms("2024-01-03", 5)]?.flow == -40)  // the sell of 40 is large; 2.5 is not
        #expect(part.hours[ms("2024-01-03", 0)]?.flow == 0)    // Jan 3 is covered now
        #expect(part.hours[ms("2024-01-31", 12)]?.flow == 31)
        #expect(part.hours[ms("2024-01-30", 12)]?.flow == 0)
        #expect(part.hours[ms("2024-01-02", 5)]?.flow == nil)  // still a gap
        #expect(part.hours.values.compactMap(\.flow).count == 30 * 24)
    }

    @Test("a daily file with no trade leaves its day uncovered, like a monthly file's day")
    func emptyDailyFile() throws {
        let cache = try FixtureCache()
        try cache.list("2024-03", [
            cache.put(cache.file(.aggTrades, "2024-03-01"), csv: trade(1, "1", "1", ms("2024-03-01", 0), maker: false)),
            cache.put(cache.file(.aggTrades, "2024-03-02"), csv: aggTradesHeader),
        ])
        let part = try compute(cache, "2024-03")
        #expect(part.hours.values.compactMap(\.flow).count == 24)
        #expect(part.hours[ms("2024-03-02", 0)] == nil)
    }
}
