import Common
import Testing
@testable import stage_report

@Suite("overlapping events: 48 h clusters, counted; every event in the difference")
struct OverlapTests {
    @Test("an event less than 48 h after the last one kept joins its cluster; 48 h or more starts a new one")
    func clusters() {
        let hours = [0, 30, 47, 48, 60, 95, 96, 200, 247, 248]
        let kept = Overlap.firstOfClusters(hours.map(at))
        #expect(kept.map { hours[$0] } == [0, 48, 96, 200, 248])
    }

    @Test("measured from the cluster's first event, not the previous one: a chain every 20 h keeps every third")
    func chain() {
        let hours = Array(stride(from: 0, through: 200, by: 20))
        #expect(Overlap.firstOfClusters(hours.map(at)).map { hours[$0] } == [0, 60, 120, 180])
    }

    @Test("no events, no cluster")
    func empty() {
        #expect(Overlap.firstOfClusters([]) == [])
    }

    @Test("clusters are per symbol, dimension, window and sign; the difference is over every event")
    func perGroup() throws {
        var closes: [Int: Double] = [:]
        for h in 0..<400 { closes[h] = 100 + Double(h % 13) - Double(h % 5) }
        let events = [
            // positive flow, 7 d: 0, 10, 47 are one cluster; 50 starts the next; 120 another.
            event(hour: 0, value: 1, closes: closes), event(hour: 10, value: 2, closes: closes),
            event(hour: 47, value: 3, closes: closes), event(hour: 50, value: 4, closes: closes),
            event(hour: 120, value: 5, closes: closes),
            // negative flow, 7 d, inside the positive cluster: a cluster of its own.
            event(hour: 5, value: -1, closes: closes),
            // positive flow, 30 d, inside the 7 d cluster: a cluster of its own.
            event(window: 30, hour: 10, value: 2, closes: closes),
            // positive oi_change_1h, 7 d: its own too.
            event(.oi_change_1h, hour: 10, value: 0.01, closes: closes),
        ]
        let s = Study([(btc, "p", events, baseline(closes))], settings: StudySettings(resamples: 500)).symbols[0]
        let row = s.row(.positive, 4)
        #expect(row.events == 5)
        #expect(row.returns.count == 5)
        #expect(row.clusters == 3)
        let all = [0, 10, 47, 50, 120].map { closes[$0 + 4]! / closes[$0]! - 1 }
        #expect(row.returns.mean == ReturnStatistics.mean(all))
        #expect(row.difference == ReturnStatistics.mean(all) - row.baseline.mean!)
        // 3 clusters: too few for a test.
        #expect(row.test == nil)
        #expect(s.row(.negative, 4).clusters == 1)
        #expect(s.row(.flow_1h, 30, .positive, 4).clusters == 1)
        #expect(s.row(.oi_change_1h, 7, .positive, 4).clusters == 1)
    }

    @Test("out-of-order lines are put in time order before clustering")
    func unordered() {
        var closes: [Int: Double] = [:]
        for h in 0..<300 { closes[h] = 100 + Double(h % 7) }
        let events = [100, 0, 60, 20].map { event(hour: $0, value: 1, closes: closes) }
        let row = Study([(btc, "p", events, baseline(closes))], settings: StudySettings(resamples: 100)).symbols[0].row(.positive, 4)
        // In time order 0, 20, 60, 100: clusters start at 0 and 60.
        #expect(row.clusters == 2)
        #expect(row.returns.mean == ReturnStatistics.mean([0, 20, 60, 100].map { closes[$0 + 4]! / closes[$0]! - 1 }))
    }
}
