import Common

/// One symbol's hourly grid for one horizon: hour i of the grid is the span's first
/// hour + i; `count` and `sum` are prefix sums of "hour i has a return close(t + N) /
/// close(t) − 1" and of that return, so any run of hours sums in O(1).
struct ReturnGrid: Sendable {
    let start: Millis
    /// Hours in the grid (the closes' span).
    let hours: Int
    /// count[i] = returns among hours 0..<i; sum[i] = their sum.
    let count: [Double]
    let sum: [Double]

    init(_ baseline: Baseline, horizonHours: Int) {
        guard let span = baseline.span else {
            start = 0
            hours = 0
            count = [0]
            sum = [0]
            return
        }
        start = span.lowerBound
        hours = Int((span.upperBound - span.lowerBound) / Time.hour)
        var closes = [Double?](repeating: nil, count: hours)
        for (t, close) in zip(baseline.hours, baseline.closes) { closes[Int((t - start) / Time.hour)] = close }
        var count = [Double](repeating: 0, count: hours + 1)
        var sum = [Double](repeating: 0, count: hours + 1)
        for i in 0..<hours {
            count[i + 1] = count[i]
            sum[i + 1] = sum[i]
            if i + horizonHours < hours, let now = closes[i], let later = closes[i + horizonHours] {
                count[i + 1] += 1
                sum[i + 1] += later / now - 1
            }
        }
        self.count = count
        self.sum = sum
    }

    /// The grid index of `time`, nil outside the span.
    func index(_ time: Millis) -> Int? {
        let i = (time - start) / Time.hour
        return time >= start && i < Millis(hours) ? Int(i) : nil
    }
}

/// What one cell's test says: the difference between the events' mean return and
/// every hour's, its standard error by the block bootstrap, the 95 % interval and
/// the two-sided p-value of "no difference", both from Student's t.
struct CellTest: Equatable, Sendable {
    let difference: Double
    let standardError: Double
    let degreesOfFreedom: Int
    let interval: BootstrapInterval
    let pValue: Double
}

/// The moving-block bootstrap over blocks of two weeks (Künsch 1989; circular,
/// Politis and Romano 1992), resampling the events and the baseline together.
///
/// The hours of the range are one series of pairs (is this hour an event of the cell,
/// the return after it). A resample glues together ⌈hours / 336⌉ blocks of that
/// series, each starting at a random hour (wrapping around the end), and computes
/// the events' mean return minus every hour's mean return in it. A block holds the
/// event bursts, the overlapping futures of neighbouring events (48 h at most) and
/// the volatility clustering around them, so the resamples vary as much as the data
/// would; and the baseline's own sampling error is in the difference, not taken as
/// known. The standard deviation of the resampled differences is the standard error;
/// the interval is difference ± t(0.975, df)·se and the p-value P(|T| ≥ |difference| / se),
/// with df = (the two-week stretches of the range that hold an event, or the event
/// clusters if fewer) − 1: what the standard error really rests on, which t accounts
/// for. Every event counts (none is dropped for being close to another);
/// docs/DESIGN.md says why this method and how it was calibrated.
enum BlockBootstrap {
    static let defaultResamples = 2_000
    static let blockHours = 14 * 24
    /// Data shorter than this many blocks gives no test: the standard error would rest
    /// on too few independent stretches.
    static let minimumBlocks = 4
    /// Fewer clusters of events than this give no test (`Overlap`).
    static let minimumClusters = 5
    static let level = 0.95

    /// The test of one cell: `events` are the grid hours and returns of its events
    /// that have a return at the grid's horizon; nil when the data is shorter than
    /// `minimumBlocks` blocks (8 weeks) or the events form fewer than `minimumClusters` clusters.
    static func test(events: [(hour: Int, value: Double)], clusters: Int, grid: ReturnGrid,
                     resamples: Int, seed: UInt64) -> CellTest? {
        let n = grid.hours, length = blockHours
        guard n >= minimumBlocks * length, clusters >= minimumClusters, !events.isEmpty,
              let total = grid.count.last, total > 0 else { return nil }
        let difference = ReturnStatistics.mean(events.map(\.value)) - grid.sum[n] / total

        // The stretches [k·length, (k + 1)·length) of the grid that hold an event.
        let stretches = Set(events.map { $0.hour / length }).count
        var eventCount = [Double](repeating: 0, count: n + 1)
        var eventSum = [Double](repeating: 0, count: n + 1)
        for event in events {
            eventCount[event.hour + 1] += 1
            eventSum[event.hour + 1] += event.value
        }
        for i in 0..<n {
            eventCount[i + 1] += eventCount[i]
            eventSum[i + 1] += eventSum[i]
        }

        // The sum of prefix-summed p over the `length` hours from `start`, wrapping past the end.
        func run(_ p: [Double], _ start: Int) -> Double {
            let end = start + length
            return end <= n ? p[end] - p[start] : (p[n] - p[start]) + p[end - n]
        }

        let blocks = (n + length - 1) / length
        var generator = Xoshiro256StarStar(seed: seed)
        var differences: [Double] = []
        differences.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var hours = 0.0, hourSum = 0.0, events = 0.0, eventTotal = 0.0
            for _ in 0..<blocks {
                let start = generator.index(below: n)
                hours += run(grid.count, start)
                hourSum += run(grid.sum, start)
                events += run(eventCount, start)
                eventTotal += run(eventSum, start)
            }
            // A resample without an event (rare: only when the events are few and bunched) has no difference.
            if events > 0 && hours > 0 { differences.append(eventTotal / events - hourSum / hours) }
        }
        guard differences.count >= resamples / 2, differences.count >= 2 else { return nil }
        let mean = ReturnStatistics.mean(differences)
        var squares = 0.0
        for d in differences { squares += (d - mean) * (d - mean) }
        let standardError = (squares / Double(differences.count - 1)).squareRoot()

        let df = max(1, min(stretches, clusters) - 1)
        let t = StudentT.quantile(twoSidedTail: 1 - level, df: Double(df))
        let pValue: Double
        if standardError > 0 {
            pValue = StudentT.twoSidedTail(abs(difference) / standardError, df: Double(df))
        } else {
            pValue = difference == 0 ? 1 : 0
        }
        return CellTest(difference: difference, standardError: standardError, degreesOfFreedom: df,
                        interval: BootstrapInterval(low: difference - t * standardError, high: difference + t * standardError),
                        pValue: pValue)
    }
}
