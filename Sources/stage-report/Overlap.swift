import Common

/// Events close together share most of their future: an event two hours after
/// another sees the same 48 hours of price, nearly. Counted as independent they
/// would make an interval look sure of itself. So, within one symbol, dimension,
/// window and sign, events form clusters: the first event starts one, and every
/// event triggered less than `hours` after the cluster's first belongs to it. Only
/// the first of each cluster enters the difference to the baseline and its
/// confidence interval.
enum Overlap {
    /// The longest horizon: events at least this far apart have disjoint futures.
    static let hours = Horizon.hours.max()!

    /// The indices of the events kept, the first of each cluster, ascending;
    /// `triggers` must be ascending.
    static func firstOfClusters(_ triggers: [Millis]) -> [Int] {
        var kept: [Int] = []
        var lastKept: Millis? = nil
        for (i, t) in triggers.enumerated() {
            precondition(lastKept == nil || t >= triggers[i - 1], "triggers must be in time order")
            if let lastKept, t - lastKept < Millis(hours) * Time.hour { continue }
            kept.append(i)
            lastKept = t
        }
        return kept
    }
}
