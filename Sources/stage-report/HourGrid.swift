import Common

/// One symbol's closes on its grid of hours: hour i of the grid is the span's first
/// hour + i, with its close, or nil where the archive has no kline. Every return the
/// report studies is read off it: close(i + offset) / close(i) − 1, forward (offset > 0,
/// the returns after an hour) or back (offset < 0, where price was before it).
struct HourGrid: Sendable {
    let start: Millis
    let closes: [Double?]
    /// The hourly moves (`Exposure`): move i ends at hour `moves[i].hour`, from the last close
    /// before it, `moves[i].from`, by `moves[i].relative` = close / from − 1. In time order.
    let moves: [(hour: Int, from: Double, relative: Double)]
    /// The mean of the moves' `relative`.
    let meanMove: Double

    var hours: Int { closes.count }

    init(_ baseline: Baseline) {
        guard let span = baseline.span else {
            start = 0
            closes = []
            moves = []
            meanMove = 0
            return
        }
        start = span.lowerBound
        var closes = [Double?](repeating: nil, count: Int((span.upperBound - span.lowerBound) / Time.hour))
        for (t, close) in zip(baseline.hours, baseline.closes) { closes[Int((t - start) / Time.hour)] = close }
        self.closes = closes
        var moves: [(hour: Int, from: Double, relative: Double)] = []
        moves.reserveCapacity(closes.count)
        var last: Double? = nil
        var sum = 0.0
        // Invariant: `last` is the close of the last hour before k that has one.
        for (k, close) in closes.enumerated() {
            guard let close else { continue }
            if let from = last {
                moves.append((k, from, close / from - 1))
                sum += close / from - 1
            }
            last = close
        }
        self.moves = moves
        meanMove = moves.isEmpty ? 0 : sum / Double(moves.count)
    }

    /// The grid index of `time`, nil outside the span.
    func index(_ time: Millis) -> Int? {
        let i = (time - start) / Time.hour
        return time >= start && i < Millis(hours) ? Int(i) : nil
    }

    /// close(i + offset) / close(i) − 1; nil where either close is missing or off the grid.
    func change(from i: Int, by offset: Int) -> Double? {
        let j = i + offset
        guard closes.indices.contains(i), closes.indices.contains(j), let now = closes[i], let then = closes[j] else { return nil }
        return then / now - 1
    }
}

/// Every hour's return at one offset on a symbol's grid, as prefix sums: `count[i]` is
/// how many of the hours 0..<i have a return close(t + offset) / close(t) − 1 and
/// `sum[i]` their sum, so any run of hours sums in O(1).
struct ReturnGrid: Sendable {
    let grid: HourGrid
    /// Hours from an hour to the close its return is read at: a horizon (4, 12, 24, 48),
    /// or, for the event path, any offset from −48 to 48.
    let offset: Int
    let count: [Double]
    let sum: [Double]

    var hours: Int { grid.hours }
    var start: Millis { grid.start }

    init(_ grid: HourGrid, offset: Int) {
        self.grid = grid
        self.offset = offset
        var count = [Double](repeating: 0, count: grid.hours + 1)
        var sum = [Double](repeating: 0, count: grid.hours + 1)
        // Invariant: count[i] and sum[i] cover the hours 0..<i, in time order.
        for i in 0..<grid.hours {
            count[i + 1] = count[i]
            sum[i + 1] = sum[i]
            if let change = grid.change(from: i, by: offset) {
                count[i + 1] += 1
                sum[i + 1] += change
            }
        }
        self.count = count
        self.sum = sum
    }

    /// The hours of a horizon, as the cells' tests read them.
    init(_ baseline: Baseline, horizonHours: Int) {
        self.init(HourGrid(baseline), offset: horizonHours)
    }

    /// Whether hour i has a return.
    func hasReturn(_ i: Int) -> Bool { count[i + 1] > count[i] }

    /// Every hour's mean return; nil when no hour has one.
    var mean: Double? {
        guard let total = count.last, total > 0 else { return nil }
        return sum[hours] / total
    }

    /// The grid index of `time`, nil outside the span.
    func index(_ time: Millis) -> Int? { grid.index(time) }
}
