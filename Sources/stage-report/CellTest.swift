import Common

/// What one cell's test says: the difference between the events' mean return and
/// every hour's, its standard error, the 95 % interval and the two-sided p-value of
/// "no difference", both from Student's t.
///
/// The standard error is the larger of two estimates of the same thing. The exposure's
/// (`Exposure`) writes the difference as the weighted sum of the hourly moves it is made
/// of, so the events' overlapping futures and every hour's volatility are in it exactly,
/// but it takes the moves to be uncorrelated from hour to hour. The two-week block
/// bootstrap's (`BlockBootstrap`) keeps any dependence within two weeks but comes out too
/// small with few stretches. On null markets of 3 to 24 months the larger of the two lets
/// 2.9 to 4.3 % of intervals exclude zero; the bootstrap's alone (with t over its stretches)
/// reached 6.1 % at two years, the exposure's alone 4.9 % (docs/REPORT.md). The degrees
/// of freedom are the exposure's effective number of days: with few, the standard error
/// rests on little and t widens the interval. The same test gives the event path its band (`EventPath`).
struct CellTest: Equatable, Sendable {
    let difference: Double
    let standardError: Double
    let exposureStandardError: Double
    /// nil when too few resamples held an event; the exposure's standard error then stands alone.
    let blockStandardError: Double?
    let degreesOfFreedom: Double
    let interval: BootstrapInterval
    let pValue: Double

    static let level = 0.95
    /// Data shorter than this many two-week blocks gives no test: neither standard error
    /// could see the dependence it is meant to.
    static let minimumBlocks = 4
    /// Fewer clusters of events than this give no test (`Overlap`).
    static let minimumClusters = 5
    /// The weeks of closes a test needs.
    static var minimumWeeks: Int { minimumBlocks * BlockBootstrap.blockHours / 168 }

    /// The test of one cell: `events` are the grid hours (each once) and returns of its
    /// events that have a return at `returns`' offset; nil when the closes span fewer than
    /// `minimumBlocks` blocks (8 weeks) or the events form fewer than `minimumClusters` clusters.
    init?(events: [(hour: Int, value: Double)], clusters: Int, returns: ReturnGrid, draws: BlockBootstrap.Draws) {
        guard returns.hours >= Self.minimumBlocks * BlockBootstrap.blockHours, clusters >= Self.minimumClusters,
              !events.isEmpty, let baselineMean = returns.mean,
              let exposure = Exposure(events: events.map(\.hour), returns: returns) else { return nil }
        difference = ReturnStatistics.mean(events.map(\.value)) - baselineMean
        exposureStandardError = exposure.standardError
        blockStandardError = BlockBootstrap.standardError(events: events, returns: returns, draws: draws)
        standardError = max(exposure.standardError, blockStandardError ?? 0)
        degreesOfFreedom = max(1, exposure.effectiveDays)
        let t = StudentT.quantile(twoSidedTail: 1 - Self.level, df: degreesOfFreedom)
        interval = BootstrapInterval(low: difference - t * standardError, high: difference + t * standardError)
        if standardError > 0 {
            pValue = StudentT.twoSidedTail(abs(difference) / standardError, df: degreesOfFreedom)
        } else {
            pValue = difference == 0 ? 1 : 0
        }
    }

    /// The test of one cell with its own draws, seeded from the cell's name (`Bootstrap.seed`).
    init?(events: [(hour: Int, value: Double)], clusters: Int, returns: ReturnGrid, resamples: Int, seed: UInt64) {
        guard returns.hours > 0 else { return nil }
        self.init(events: events, clusters: clusters, returns: returns,
                  draws: BlockBootstrap.Draws(hours: returns.hours, resamples: resamples, seed: seed))
    }
}
