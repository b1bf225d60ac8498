import Common

/// SPEC "Extreme events" for one series and one window.
struct DetectionRule: Sendable {
    /// W: the window is every point with timestamp in [t − W, t).
    var windowHours: Int
    /// An event fires when the percentile is at least this.
    var threshold: Double = 90
    /// …and at least this long after the previous event of the same series and window.
    var cooldownHours: Int = 1
}

/// An hour whose magnitude is extreme against its window.
struct Trigger: Equatable, Sendable {
    let timestamp: Millis
    /// The raw, signed value (not the score).
    let value: Double
    let percentile: Double
}

/// Walks `series` in time order. At a point (t, x) the window is every point
/// with timestamp in [t − W, t); once the series' first point is at or before
/// t − W and the window is not empty, percentile = 100 × (window points with
/// |score| < |score(x)|) / (window points), and an event fires when it is at
/// least the threshold and the cooldown since the last event has passed.
/// O(n log n): the window's points are counted by rank in a Fenwick tree.
func detect(_ series: ScoredSeries, _ rule: DetectionRule) -> [Trigger] {
    guard let first = series.timestamps.first else { return [] }
    let window = Millis(rule.windowHours) * Time.hour
    let cooldown = Millis(rule.cooldownHours) * Time.hour
    let timestamps = series.timestamps
    let ranks = series.ranks

    var inWindow = FenwickTree(size: series.rankCount)
    var oldest = 0
    var lastEvent: Millis? = nil
    var triggers: [Trigger] = []
    for current in 0..<series.count {
        let t = timestamps[current]
        let windowStart = t - window
        while timestamps[oldest] < windowStart {
            inWindow.add(-1, atRank: ranks[oldest])
            oldest += 1
        }
        // Invariant: the tree holds exactly the points oldest..<current, those with timestamp in [t − W, t).
        let size = current - oldest
        if size > 0 && first <= windowStart {
            let below = inWindow.count(below: ranks[current])
            let percentile = Double(100 * below) / Double(size)
            if percentile >= rule.threshold && lastEvent.map({ t - $0 >= cooldown }) ?? true {
                triggers.append(Trigger(timestamp: t, value: series.values[current], percentile: percentile))
                lastEvent = t
            }
        }
        inWindow.add(1, atRank: ranks[current])
    }
    return triggers
}
