import Common

/// What stage-detect does for one symbol: score each dimension's series once,
/// then find the events of every window.
struct SymbolEvents {
    let symbol: Symbol
    /// Ordered by dimension, then window_days, then triggered_at.
    private(set) var events: [Event] = []
    /// Ratio points without a score, in dimension and file order.
    private(set) var skipped: [ScoredSeries.SkippedPoint] = []
    /// Points that took part in detection, over all dimensions.
    private(set) var points = 0

    /// `series` holds the hourly series of each dimension to examine.
    init(symbol: Symbol, series: [Dimension: HourlySeries], windowsDays: [Int], threshold: Double, cooldownHours: Int) {
        self.symbol = symbol
        for dimension in series.keys.sorted() {
            let scored = ScoredSeries(series[dimension]!, scoring: dimension.scoring, skipped: &skipped)
            points += scored.count
            for days in windowsDays.sorted() {
                let rule = DetectionRule(windowHours: days * 24, threshold: threshold, cooldownHours: cooldownHours)
                for trigger in detect(scored, rule) {
                    events.append(Event(symbol: symbol, dimension: dimension, windowDays: days, triggeredAt: trigger.timestamp,
                                        value: trigger.value, percentile: trigger.percentile))
                }
            }
        }
    }

    /// Events per dimension, in file order, for the summary line: `flow_1h 12, funding_rate 3`.
    var counts: String {
        var perDimension: [(Dimension, Int)] = []
        for event in events {
            if perDimension.last?.0 == event.dimension { perDimension[perDimension.count - 1].1 += 1 } else { perDimension.append((event.dimension, 1)) }
        }
        return perDimension.map { "\($0.0.rawValue) \($0.1)" }.joined(separator: ", ")
    }
}
