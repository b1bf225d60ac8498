import ArchiveFixture
import Common
import Testing
@testable import stage_flow

@Suite("large trades: threshold v[floor(n·0.95)] per month, net flow per hour")
struct LargeTradeTests {
    /// n trades of notional 1, 2, …, n (price 1, quantity k), one per minute from 00:00,
    /// alternately taker buy and taker sell.
    func month(_ n: Int) throws -> (FixtureCache, MonthPart) {
        let cache = try FixtureCache()
        var csv = ""
        for k in 1...max(n, 1) where n > 0 {
            csv += trade(k, "1", "\(k)", ms("2024-01-01", 0, k - 1), maker: k % 2 == 0)
        }
        let file = try cache.put(cache.file(.aggTrades, "2024-01"), csv: csv)
        try cache.list("2024-01", [file])
        let flow = MonthFlow(symbol: cache.symbol, month: Month("2024-01")!, layout: cache.layout)
        return (cache, try flow.compute(flow.fileList()))
    }

    @Test("the threshold's rank", arguments: [(0, 100_000.0), (1, 1.0), (19, 19.0), (20, 20.0), (21, 20.0), (25, 24.0)])
    func threshold(n: Int, expected: Double) throws {
        let (_, part) = try month(n)
        #expect(part.trades == n)
        #expect(part.threshold == expected)
    }

    @Test("21 trades: 20 and 21 are large; the hour nets +21 − 20")
    func netFlow() throws {
        let (_, part) = try month(21)
        // Trade 20 (even: is_buyer_maker, the taker sold) and trade 21 (taker bought).
        #expect(part.hours[ms("2024-01-01", 0)]?.flow == 1.0)
    }

    @Test("every other hour of a day with a trade has flow 0; a day without any trade has no value")
    func quietHours() throws {
        let (_, part) = try month(21)   // every trade on Jan 1st
        let flows = part.hours.values.compactMap(\.flow)
        #expect(flows.count == 24)
        #expect(part.hours[ms("2024-01-01", 1)]?.flow == 0)
        #expect(part.hours[ms("2024-01-01", 23)]?.flow == 0)
        #expect(part.hours[ms("2024-01-31", 23)] == nil)
        #expect(part.hours[ms("2024-02-01", 0)] == nil)
    }

    @Test("a trade equal to the threshold is large (ties count)")
    func ties() throws {
        let cache = try FixtureCache()
        // 20 trades: 18 of notional 1, then two of 5; threshold v[19] = 5, both large.
        var csv = ""
        for k in 1...18 { csv += trade(k, "1", "1", ms("2024-01-01", 2), maker: false) }
        csv += trade(19, "2.5", "2", ms("2024-01-01", 3), maker: false)
        csv += trade(20, "5", "1", ms("2024-01-01", 3, 30), maker: true)
        try cache.list("2024-01", [cache.put(cache.file(.aggTrades, "2024-01"), csv: csv)])
        let flow = MonthFlow(symbol: cache.symbol, month: Month("2024-01")!, layout: cache.layout)
        let part = try flow.compute(flow.fileList())
        #expect(part.threshold == 5)
        #expect(part.hours[ms("2024-01-01", 3)]?.flow == 0.0) // +5 − 5
        #expect(part.hours[ms("2024-01-01", 2)]?.flow == 0)
    }

    @Test("the hour's sum runs in file order: 1e16 + 1 + 1 − 1e16 is 0, not 2")
    func fileOrderSum() throws {
        let cache = try FixtureCache()
        // 96 tiny trades at 00:00 put the threshold at 0.001, so every trade is large.
        var csv = ""
        for k in 0..<96 { csv += trade(k, "0.1", "0.01", ms("2024-01-01", 0), maker: false) }
        let big = [("1e16", false), ("1", false), ("1", false), ("1e16", true)]
        for (i, (price, maker)) in big.enumerated() { csv += trade(100 + i, price, "1", ms("2024-01-01", 5), maker: maker) }
        try cache.list("2024-01", [cache.put(cache.file(.aggTrades, "2024-01"), csv: csv)])
        let flow = MonthFlow(symbol: cache.symbol, month: Month("2024-01")!, layout: cache.layout)
        let part = try flow.compute(flow.fileList())
        #expect(part.threshold == 0.1 * 0.01)
        #expect(part.hours[ms("2024-01-01", 5)]?.flow == 0.0)
        #expect(part.hours[ms("2024-01-01", 0)]?.flow == (0..<96).reduce(0.0) { acc, _ in acc + 0.1 * 0.01 })
    }
}

@Suite("threshold selection: the radix passes agree with a sort")
struct ThresholdSelectionTests {
    /// Magnitudes that share their top 16 (and top 32) bits, so that the bucket of any
    /// rank stays larger than `smallBucket` after one pass and the second and third
    /// passes run; the answer must still be the sorted copy's v[k].
    @Test("further passes, where one bucket holds more than smallBucket values", arguments: [0, 1, 37, 950, 999])
    func multiPass(rank: Int) {
        var random = SeededRandom(seed: 42)
        // 1000 values in [1.0, 1.0 + 2^-30): equal in their top 32 bits, apart below.
        let values = (0..<1000).map { i in (1.0 + Double(random.next() % (1 << 22)) * 0x1p-52) * (i % 3 == 0 ? -1 : 1) }
        let expected = values.map(Swift.abs).sorted()[rank]
        let selected = values.withUnsafeBufferPointer { LargeTradeThreshold.select(rank: rank, of: $0, smallBucket: 4) }
        #expect(selected == expected)
        // one pass alone (the bucket is "small enough" at once) agrees too
        #expect(values.withUnsafeBufferPointer { LargeTradeThreshold.select(rank: rank, of: $0) } == expected)
    }
}
