import Common
import Testing
@testable import stage_report

@Suite("forward returns after the events: mean, median, hit rate, by sign")
struct StatisticsTests {
    let eventHours = [0, 240, 480, 720, 960, 1200]

    func study(_ events: [PricedEvent], _ closes: [Int: Double]) -> SymbolStudy {
        Study([(btc, "prices/BTCUSDT.jsonl", events, baseline(closes))], settings: StudySettings(resamples: 1000)).symbols[0]
    }

    @Test("every event followed by +1 %: mean = median = 0.01, hit rate 1, at every horizon", arguments: Horizon.hours)
    func plusOnePercentEverywhere(horizon: Int) throws {
        // Thirty events ten days apart: enough for the test to tell +1 % from chance.
        let hours = Array(stride(from: 0, to: 7200, by: 240))
        let closes = plusOnePercent(eventHours: hours, length: 7300)
        let events = hours.map { event(hour: $0, value: 5e5, closes: closes) }
        let row = study(events, closes).row(.positive, horizon)
        let onePercent = 101.0 / 100.0 - 1
        #expect(abs(onePercent - 0.01) < 1e-15)
        #expect(row.events == 30)
        #expect(row.returns == ReturnStatistics(Array(repeating: onePercent, count: 30)))
        #expect(row.returns.mean.map { abs($0 - onePercent) < 1e-16 } == true)
        #expect(row.returns.median == onePercent)
        #expect(row.returns.hitRate == 1)
        #expect(row.clusters == 30)
        let baselineMean = try #require(row.baseline.mean)
        #expect(row.difference.map { abs($0 - (onePercent - baselineMean)) < 1e-15 } == true)
        // The interval: the difference ± t × the larger standard error, above zero. (Each +1 % is
        // reached through a few moves of ±1 %, whose sizes the standard error takes as chance:
        // the longer the horizon, the more of them, the larger the p-value.)
        let test = try #require(row.test)
        let interval = try #require(row.interval)
        #expect(test.standardError == max(test.exposureStandardError, test.blockStandardError ?? 0))
        let t = StudentT.quantile(twoSidedTail: 0.05, df: test.degreesOfFreedom)
        #expect(abs(interval.high - row.difference! - t * test.standardError) < 1e-15)
        #expect(abs((interval.low + interval.high) / 2 - row.difference!) < 1e-15)
        #expect(interval.excludesZero && test.pValue < 0.05)
    }

    @Test("a group without events has a count of 0 and every statistic undefined")
    func emptyGroup() {
        let closes = plusOnePercent(eventHours: eventHours, length: 1400)
        let row = study(eventHours.map { event(hour: $0, value: 5e5, closes: closes) }, closes).row(.negative, 4)
        #expect(row.events == 0)
        #expect(row.returns == ReturnStatistics([]))
        #expect(row.returns.mean == nil && row.returns.median == nil && row.returns.hitRate == nil)
        #expect(row.clusters == 0 && row.difference == nil && row.interval == nil && row.pValue == nil && row.qValue == nil)
        #expect(row.baseline.count > 0)
    }

    @Test("a null price leaves the event out of that horizon only, and the row counts it")
    func nullPrices() {
        // The last event, at hour 1200 of 1230, has no close 48 h later.
        let closes = plusOnePercent(eventHours: eventHours, length: 1230)
        let s = study(eventHours.map { event(hour: $0, value: 5e5, closes: closes) }, closes)
        #expect(s.row(.positive, 24).returns.count == 6)
        #expect(s.row(.positive, 48).events == 6)
        #expect(s.row(.positive, 48).returns.count == 5)
        #expect(s.row(.positive, 48).clusters == 5)
    }

    @Test("an unknown price at the trigger leaves every horizon without a return")
    func nullTrigger() {
        let e = PricedEvent(symbol: btc, dimension: .flow_1h, windowDays: 7, triggeredAt: at(0), value: 1, percentile: 99,
                            priceAtTrigger: nil, pricesAfter: [1, 2, 3, 4])
        #expect(e.forwardReturns == [nil, nil, nil, nil])
        let f = PricedEvent(symbol: btc, dimension: .flow_1h, windowDays: 7, triggeredAt: at(0), value: 1, percentile: 99,
                            priceAtTrigger: 2, pricesAfter: [1, nil, 3, 4])
        #expect(f.forwardReturns == [-0.5, nil, 0.5, 1])
    }

    @Test("median of an even count is the mean of the middle two; a return of 0 is not a hit")
    func evenMedian() {
        let s = ReturnStatistics([0.375, -0.25, 0, 0.125])
        #expect(s.count == 4)
        #expect(s.mean == 0.0625)
        #expect(s.median == 0.0625)
        #expect(s.hitRate == 0.5)
        #expect(ReturnStatistics([0.5, -0.25, 0.125]).median == 0.125)
        #expect(ReturnStatistics([-0.5]).hitRate == 0)
    }

    @Test("quantiles interpolate between closest ranks (type 7)")
    func quantiles() {
        let v = [1.0, 2, 3, 4]
        #expect(Quantile.of(sorted: v, 0) == 1)
        #expect(Quantile.of(sorted: v, 0.25) == 1.75)
        #expect(Quantile.of(sorted: v, 0.5) == 2.5)
        #expect(Quantile.of(sorted: v, 1) == 4)
        #expect(Quantile.of(sorted: [7], 0.3) == 7)
    }

    @Test("sign: the value's for flow, open interest and funding; above or below 1 for the ratios; none at the pivot")
    func signs() {
        #expect(Sign(of: -3, .flow_1h) == .negative)
        #expect(Sign(of: 1e-9, .oi_change_1h) == .positive)
        #expect(Sign(of: 0, .funding_rate) == nil)
        #expect(Sign(of: 1.8, .top_position_ratio) == .positive)
        #expect(Sign(of: 0.6, .global_account_ratio) == .negative)
        #expect(Sign(of: 0.999, .taker_ratio) == .negative)
        #expect(Sign(of: 1, .taker_ratio) == nil)
    }

    @Test("events without a direction are in neither sign's rows and are counted apart")
    func directionless() {
        let closes = plusOnePercent(eventHours: [0, 100], length: 200)
        let events = [
            event(.taker_ratio, hour: 0, value: 1, closes: closes),
            event(.taker_ratio, hour: 100, value: 1.5, closes: closes),
            event(.flow_1h, window: 30, hour: 100, value: 0, closes: closes),
        ]
        let s = study(events, closes)
        #expect(s.row(.taker_ratio, 7, .positive, 4).events == 1)
        #expect(s.row(.taker_ratio, 7, .negative, 4).events == 0)
        #expect(s.row(.flow_1h, 30, .positive, 4).events == 0)
        #expect(s.row(.flow_1h, 30, .negative, 4).events == 0)
        #expect(s.directionless == [.taker_ratio: [7: 1], .flow_1h: [30: 1]])
    }

    @Test("rows: every dimension, the default windows and any other seen, both signs, four horizons, in order")
    func rowOrder() {
        let closes = plusOnePercent(eventHours: [0], length: 60)
        let s = Study([(btc, "p", [event(window: 14, hour: 0, value: 1, closes: closes)], baseline(closes))], settings: StudySettings(resamples: 100))
        #expect(s.symbols[0].windows == [7, 14, 30, 90])
        #expect(s.rows.count == 6 * 4 * 2 * 4)
        #expect(s.rows.prefix(9).map(\.cellName) == [
            "BTC flow_1h 7 positive 4", "BTC flow_1h 7 positive 12", "BTC flow_1h 7 positive 24", "BTC flow_1h 7 positive 48",
            "BTC flow_1h 7 negative 4", "BTC flow_1h 7 negative 12", "BTC flow_1h 7 negative 24", "BTC flow_1h 7 negative 48",
            "BTC flow_1h 14 positive 4",
        ])
        #expect(s.rows.last?.cellName == "BTC taker_ratio 90 negative 48")
    }
}
