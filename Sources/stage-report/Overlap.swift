import Common

/// Events close together share most of their future: an event two hours after
/// another sees nearly the same 48 hours of price. Within one symbol, dimension,
/// window and sign, events form clusters: the first event starts one, and every
/// event triggered less than `hours` after the cluster's first belongs to it.
/// Every event counts in the difference; the test (`CellTest`) has their overlap in
/// its standard error. The number of clusters is how many roughly independent episodes a
/// cell rests on: a cell with fewer than `CellTest.minimumClusters` has no test.
enum Overlap {
    /// The longest horizon: events at least this far apart have disjoint futures.
    static let hours = Horizon.hours.max()!

    /// The indices of the first events of the clusters, ascending; `triggers` must be ascending.
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
