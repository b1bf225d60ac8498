/// Mean, median and hit rate of a list of returns. Sums run in the order given,
/// so the same list gives the same bits on every machine.
struct ReturnStatistics: Equatable, Sendable {
    let count: Int
    /// nil for an empty list, as are the others.
    let mean: Double?
    /// The middle value, or the mean of the two middle values of an even count.
    let median: Double?
    /// The share of returns above 0 (a return of exactly 0 is not a hit).
    let hitRate: Double?

    init(_ returns: [Double]) {
        count = returns.count
        guard !returns.isEmpty else {
            mean = nil
            median = nil
            hitRate = nil
            return
        }
        mean = Self.mean(returns)
        let sorted = returns.sorted()
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        hitRate = Double(returns.count(where: { $0 > 0 })) / Double(returns.count)
    }

    /// The sum in order, divided by the count; the list must not be empty.
    static func mean(_ values: [Double]) -> Double {
        var sum = 0.0
        for value in values { sum += value }
        return sum / Double(values.count)
    }
}

enum Quantile {
    /// The `p`-quantile (0...1) of an ascending, non-empty list, interpolated
    /// linearly between the closest ranks (R's type 7, NumPy's default):
    /// h = (n − 1)·p, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
    static func of(sorted values: [Double], _ p: Double) -> Double {
        precondition(!values.isEmpty && (0...1).contains(p), "a quantile needs values and p in 0...1")
        let h = Double(values.count - 1) * p
        let lower = Int(h.rounded(.down))
        guard lower + 1 < values.count else { return values[values.count - 1] }
        return values[lower] + (h - Double(lower)) * (values[lower + 1] - values[lower])
    }
}
