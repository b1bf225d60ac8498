import Common
import Glibc
import Testing
@testable import stage_detect

@Suite("percentile over the window [t − W, t)")
struct PercentileTests {
    @Test("percentiles by hand: 8 hourly points, W = 4 h")
    func byHand() {
        // |x|:  1  3  2  5  4  0.5  6  2
        let s = hourly([1, -3, 2, 5, -4, 0.5, 6, -2])
        #expect(percentiles(s, windowHours: 4) == [
            p(4, 75.0),   // {1, 3, 2, 5} below 4: 1, 3, 2
            p(5, 0.0),    // {3, 2, 5, 4} below 0.5: none
            p(6, 100.0),  // {2, 5, 4, 0.5} below 6: all
            p(7, 25.0),   // {5, 4, 0.5, 6} below 2: 0.5
        ])
    }

    @Test("percentile is one division of whole numbers: 100 × k / n")
    func thirds() {
        // W = 3 h: windows of 3 points give thirds.
        let s = hourly([1, 2, 3, 2.5, 2.2, 4, 0])
        #expect(percentiles(s, windowHours: 3) == [
            p(3, 66.66666666666667),   // {1, 2, 3} below 2.5: 1, 2
            p(4, 33.333333333333336),  // {2, 3, 2.5} below 2.2: 2
            p(5, 100.0),               // {3, 2.5, 2.2} below 4: all
            p(6, 0.0),                 // {2.5, 2.2, 4} below 0: none
        ])
    }

    @Test("no percentile until the first point is at or before t − W, even with points in the window")
    func startRule() {
        let s = hourly([1, 2, 3, 4, 5, 6])
        // h1 and h2 have points in [t − 3 h, t), but the series does not reach back to t − 3 h yet.
        #expect(percentiles(s, windowHours: 3).map(\.hour) == [3, 4, 5])
        #expect(percentiles(s, windowHours: 5).map(\.hour) == [5])
        #expect(percentiles(s, windowHours: 6).isEmpty)
    }

    @Test("ties do not count: only |score| strictly below the point's own")
    func ties() {
        #expect(percentiles(hourly([2, 2, 2, 2]), windowHours: 3) == [p(3, 0.0)])
        // -2 and 2 have the same magnitude: only 1 is below.
        #expect(percentiles(hourly([1, -2, 2, -2]), windowHours: 3) == [p(3, 33.333333333333336)])
    }

    @Test("an event needs percentile ≥ threshold", arguments: [
        (10.0, 90.0, true),    // 9 of 10 below: exactly 90
        (9.0, 90.0, false),    // 8 of 10: 80
        (10.0, 90.5, false),   // 90 < 90.5
        (11.0, 100.0, true),   // all 10 below
    ])
    func thresholdBoundary(last: Double, threshold: Double, fires: Bool) {
        let s = hourly([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, last])
        let triggers = detect(scored(s), DetectionRule(windowHours: 10, threshold: threshold, cooldownHours: 1))
        #expect(triggers.map(\.timestamp) == (fires ? [at(10)] : []))
    }

    @Test("the event carries the raw signed value, not its magnitude")
    func signedValue() {
        let s = hourly([1, 2, -3])
        #expect(detect(scored(s), DetectionRule(windowHours: 2)) == [Trigger(timestamp: at(2), value: -3, percentile: 100.0)])
    }
}

@Suite("cooldown per dimension and window")
struct CooldownTests {
    /// Every point from h2 on is the largest so far: 100 each hour.
    let rising = hourly([1, 2, 3, 4, 5, 6, 7])

    @Test("the default 1 h lets consecutive hours fire")
    func oneHour() {
        #expect(eventHours(rising, DetectionRule(windowHours: 2)) == [2, 3, 4, 5, 6])
    }

    @Test("3 h: the next event is 3 h after the last event, not after the last candidate")
    func threeHours() {
        #expect(eventHours(rising, DetectionRule(windowHours: 2, cooldownHours: 3)) == [2, 5])
    }

    @Test("the cooldown starts at never: the first extreme hour fires")
    func startsAtNever() {
        #expect(eventHours(rising, DetectionRule(windowHours: 2, cooldownHours: 1000)) == [2])
    }
}

@Suite("gaps: the window is a time span, not a count of points")
struct GapTests {
    // h0…h3, gap at h4 and h5, h6, h7, gap h8…h11, h12, h13
    let gappy = series([(0, 1), (1, 9), (2, 8), (3, 1), (6, 5), (7, 2), (12, 7), (13, 3)])

    @Test("percentiles by hand, W = 3 h")
    func byHand() {
        #expect(percentiles(gappy, windowHours: 3) == [
            p(3, 0.0),     // [h0, h3) = {1, 9, 8}
            p(6, 100.0),   // [h3, h6) = {1}
            p(7, 0.0),     // [h4, h7) = {5}
            // h12: [h9, h12) is empty: no percentile
            p(13, 0.0),    // [h10, h13) = {7}
        ])
    }

    @Test("across a gap the time window differs from the previous W points")
    func differsFromIndexRule() {
        let rule = DetectionRule(windowHours: 3, threshold: 0, cooldownHours: 0)
        let byTime = detect(scored(gappy), rule)
        let byIndex = indexRuleTriggers(gappy, .flow_1h, rule)
        // h6: the previous 3 points {9, 8, 1} would give 33.3; the time window {1} gives 100.
        #expect(byTime.first { $0.timestamp == at(6) }?.percentile == 100.0)
        #expect(byIndex.first { $0.timestamp == at(6) }?.percentile == 33.333333333333336)
        // h12 has an empty time window, but 3 previous points.
        #expect(!byTime.contains { $0.timestamp == at(12) })
        #expect(byIndex.contains { $0.timestamp == at(12) })
    }

    @Test("a point that ends a long gap is not an event even with the largest value")
    func emptyWindow() {
        let s = series([(0, 1), (1, 1), (2, 1), (10, 100)])
        #expect(eventHours(s, DetectionRule(windowHours: 2)) == [])
        #expect(eventHours(s, DetectionRule(windowHours: 8)) == [10])
    }
}

@Suite("ratio dimensions are ranked by |ln(value)|")
struct LogScoringTests {
    @Test("a ratio of 0.5 and one of 2.0 tie")
    func halfAndDoubleTie() throws {
        try #require(log(0.5) == -log(2.0))
        // W = 2 h. h2: {2.0, 1.5}: |ln 0.5| ties with |ln 2| and is above |ln 1.5|.
        let ratios = hourly([2.0, 1.5, 0.5, 0.25], .taker_ratio)
        #expect(percentiles(ratios, windowHours: 2, .taker_ratio) == [p(2, 50.0), p(3, 100.0)])
        // Ranked by value instead, 0.5 would be below both.
        let flows = hourly([2.0, 1.5, 0.5, 0.25], .flow_1h)
        #expect(percentiles(flows, windowHours: 2, .flow_1h) == [p(2, 0.0), p(3, 0.0)])
    }

    @Test("every ratio dimension uses ln, the others the value", arguments: Dimension.allCases)
    func scoringOfEachDimension(_ dimension: Dimension) {
        let ratioDimensions: Set<Dimension> = [.top_position_ratio, .global_account_ratio, .taker_ratio]
        // 0.9 is further from 1 than 1.05 in ln terms, but smaller in value.
        let s = hourly([1.05, 0.9], dimension)
        #expect(percentiles(s, windowHours: 1, dimension) == [p(1, ratioDimensions.contains(dimension) ? 100.0 : 0.0)])
    }

    @Test("a ratio ≤ 0 is left out: in no window, never an event, and reported with file and line")
    func nonPositiveRatio() {
        // W = 2 h; h1 (0.0) and h3 (-0.5) have no ln.
        let s = hourly([1.2, 0.0, 1.1, -0.5, 1.3, 3.0], .global_account_ratio)
        #expect(percentiles(s, windowHours: 2, .global_account_ratio) == [
            p(2, 0.0),     // [h0, h2) = {1.2}
            p(4, 100.0),   // [h2, h4) = {1.1}: with h3 counted it would be 50
            p(5, 100.0),   // [h3, h5) = {1.3}
        ])
        var skipped: [ScoredSeries.SkippedPoint] = []
        let points = ScoredSeries(s, scoring: .logarithm, skipped: &skipped)
        #expect(points.timestamps == [at(0), at(2), at(4), at(5)])
        #expect(skipped.map(\.line) == [3, 5])
        #expect(skipped.map(\.description) == [
            "series/BTCUSDT/global_account_ratio.csv:3: ratio 0.0 at 1704070800000 is not positive, so it has no logarithm; left out of detection",
            "series/BTCUSDT/global_account_ratio.csv:5: ratio -0.5 at 1704078000000 is not positive, so it has no logarithm; left out of detection",
        ])
    }

    @Test("a value dimension keeps 0 and negative values: they are scores like any other")
    func valueDimensionKeepsZero() {
        var skipped: [ScoredSeries.SkippedPoint] = []
        let points = ScoredSeries(hourly([0, -1, 2], .funding_rate), scoring: .value, skipped: &skipped)
        #expect(points.count == 3)
        #expect(skipped.isEmpty)
    }
}
