import Common

/// The moving-block bootstrap over blocks of two weeks (Künsch 1989; circular,
/// Politis and Romano 1992), resampling the events and the baseline together: one of
/// the two standard errors of a cell's difference (`CellTest`).
///
/// The hours of the range are one series of pairs (is this hour an event of the cell,
/// the return after it). A resample glues together ⌈hours / 336⌉ blocks of that
/// series, each starting at a random hour (wrapping around the end), and computes
/// the events' mean return minus every hour's mean return in it. A block keeps whatever
/// ties neighbouring hours within two weeks: event bursts, their overlapping futures,
/// volatility clusters, and any dependence between the hourly moves themselves, which
/// the exposure's standard error (`Exposure`) assumes away. The standard deviation of
/// the resampled differences is the standard error. With few two-week stretches it
/// is too small (a resample cannot vary more than the stretches it is glued from):
/// measured in docs/REPORT.md, which is why it is never used alone.
enum BlockBootstrap {
    static let defaultResamples = 2_000
    static let blockHours = 14 * 24

    /// The random block starts of one test, drawn once: `resamples` rows of `blocks`
    /// starts each. The event path draws them once per path and uses them at every offset.
    struct Draws: Sendable {
        let hours: Int
        let blocks: Int
        let resamples: Int
        let starts: [Int]

        /// ⌈hours / 336⌉ starts per resample, uniform over the hours, from xoshiro256**
        /// seeded with `seed`, row by row.
        init(hours: Int, resamples: Int, seed: UInt64) {
            precondition(hours > 0 && resamples > 0, "draws need hours and resamples")
            self.hours = hours
            self.resamples = resamples
            blocks = (hours + blockHours - 1) / blockHours
            var generator = Xoshiro256StarStar(seed: seed)
            var starts: [Int] = []
            starts.reserveCapacity(resamples * blocks)
            for _ in 0..<(resamples * blocks) { starts.append(generator.index(below: hours)) }
            self.starts = starts
        }
    }

    /// The standard deviation of the resampled differences; nil when fewer than half
    /// the resamples hold an event (the events are too few and bunched), or fewer than 2.
    /// `events` are the grid hours (each once) and values of the events with a return
    /// at `returns`' offset.
    static func standardError(events: [(hour: Int, value: Double)], returns: ReturnGrid, draws: Draws) -> Double? {
        let n = returns.hours, length = blockHours
        precondition(draws.hours == n, "draws over \(draws.hours) hours for a grid of \(n)")
        // Prefix sums over the hours 0..<i of (hours with a return, their returns, events, the events' returns),
        // one vector per hour, so that a block's four sums are one subtraction.
        var prefix = [SIMD4<Double>](repeating: .zero, count: n + 1)
        for i in 0..<n { prefix[i + 1] = SIMD4(returns.count[i + 1], returns.sum[i + 1], 0, 0) }
        for event in events { prefix[event.hour + 1] += SIMD4(0, 0, 1, event.value) }
        for i in 0..<n { prefix[i + 1] += SIMD4(0, 0, prefix[i][2], prefix[i][3]) }

        var differences: [Double] = []
        differences.reserveCapacity(draws.resamples)
        prefix.withUnsafeBufferPointer { p in
            draws.starts.withUnsafeBufferPointer { starts in
                for r in 0..<draws.resamples {
                    // Invariant: `sums` covers the blocks drawn so far of resample r; a block wraps past the end.
                    var sums = SIMD4<Double>.zero
                    for b in (r * draws.blocks)..<((r + 1) * draws.blocks) {
                        let start = starts[b], end = start + length
                        sums += end <= n ? p[end] - p[start] : (p[n] - p[start]) + p[end - n]
                    }
                    // A resample without an event (rare: only when the events are few and bunched) has no difference.
                    if sums[2] > 0 && sums[0] > 0 { differences.append(sums[3] / sums[2] - sums[1] / sums[0]) }
                }
            }
        }
        guard differences.count >= draws.resamples / 2, differences.count >= 2 else { return nil }
        let mean = ReturnStatistics.mean(differences)
        var squares = 0.0
        for d in differences { squares += (d - mean) * (d - mean) }
        return (squares / Double(differences.count - 1)).squareRoot()
    }
}
