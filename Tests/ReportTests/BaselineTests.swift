import Common
import Testing
@testable import stage_report

@Suite("the baseline: the return after every hour t that has close(t) and close(t + N)")
struct BaselineTests {
    /// Hours 0 to 9, hour 5 missing.
    let closes: [Int: Double] = [0: 100, 1: 102, 2: 104, 3: 100, 4: 110, 6: 99, 7: 120, 8: 100, 9: 90]

    @Test("+4 h: only the hours whose close 4 h later exists, in time order")
    func fourHours() {
        let b = baseline(closes)
        // t = 0 → 4, 2 → 6, 3 → 7, 4 → 8; t = 1 (5 is missing) and t ≥ 6 (no close 4 h later) have none.
        let expected = [110.0 / 100 - 1, 99.0 / 104 - 1, 120.0 / 100 - 1, 100.0 / 110 - 1]
        #expect(b.returns[0] == expected)
        #expect(b.statistics[0].count == 4)
        #expect(b.statistics[0].hitRate == 0.5)
        #expect(b.statistics[0].median == (99.0 / 104 - 1 + (110.0 / 100 - 1)) / 2)
        #expect(b.statistics[0].mean == (((expected[0] + expected[1]) + expected[2]) + expected[3]) / 4)
    }

    @Test("no hour has a close 12, 24 or 48 h later: no return, every statistic undefined")
    func longerHorizons() {
        let b = baseline(closes)
        for h in 1..<Horizon.hours.count {
            #expect(b.returns[h].isEmpty)
            #expect(b.statistics[h] == ReturnStatistics([]))
        }
    }

    @Test("the span runs from the first kline's open to the last one's close; missing hours inside it are counted")
    func span() {
        let b = baseline(closes)
        #expect(b.span == at(0)..<at(10))
        #expect(b.missingHours == 1)
        #expect(baseline([Double]()).span == nil)
        #expect(baseline([Double]()).statistics.allSatisfy { $0.count == 0 })
    }

    @Test("read from a klines zip in the cache, the same baseline as from the closes themselves")
    func fromKlines() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.writeKlines(closes)
        let read = Baseline(try HourlyCloses.read(btc, in: dir.layout))
        #expect(read.hours == baseline(closes).hours)
        #expect(read.closes == baseline(closes).closes)
        #expect(read.returns == baseline(closes).returns)
    }
}
