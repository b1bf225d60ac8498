import Common

/// The average path of price around the events of one symbol, dimension and sign (any
/// window, each event hour once): at every hour from 48 h before the event hour's close
/// to 48 h after it, the events' mean of close(t + offset) / close(t) − 1 minus the same
/// over every hour, with the 95 % band of the cells' test (`CellTest`, the same block
/// draws at every offset). At 0 it is 0; right of it, the cumulative return after the
/// events in excess of the baseline (at +4, +12, +24 and +48 h what the table's cells
/// measure, over every window's events at once); left of it, where price stood before
/// the events, relative to their close: a slope there is drift into the event hour.
struct EventPath: Equatable, Sendable {
    /// −48 … +48 hours, hourly.
    static let offsets = -Overlap.hours...Overlap.hours

    let symbol: Symbol
    let dimension: Dimension
    let sign: Sign
    /// Distinct event hours with a close.
    let eventHours: Int
    /// One per offset, ascending.
    let points: [Point]

    struct Point: Equatable, Sendable {
        let offset: Int
        /// The events with a close at this offset, and their 48 h clusters (`Overlap`).
        let events: Int
        let clusters: Int
        /// Over those events: mean of close(t + offset) / close(t) − 1; nil without one.
        let mean: Double?
        /// The same over every hour of the grid; nil without one.
        let baselineMean: Double?
        /// The band of `excess`; nil where the cell's test gives none (too few clusters or
        /// weeks), and 0 … 0 at the event hour itself.
        let band: BootstrapInterval?

        /// mean − baselineMean.
        var excess: Double? {
            guard let mean, let baselineMean else { return nil }
            return mean - baselineMean
        }
    }

    /// The point at `offset`.
    func point(_ offset: Int) -> Point { points[offset - Self.offsets.lowerBound] }

    /// `BTC flow_1h positive path`: the name that seeds its draws.
    var name: String { Self.name(symbol, dimension, sign) }

    static func name(_ symbol: Symbol, _ dimension: Dimension, _ sign: Sign) -> String {
        "\(symbol.short) \(dimension.rawValue) \(sign.rawValue) path"
    }

    /// Every dimension's and sign's path, in SPEC's order of dimensions, positive first.
    /// One offset at a time: every hour's returns at that offset are read once for all paths.
    static func paths(symbol: Symbol, events: [PricedEvent], grid: HourGrid, settings: StudySettings) -> [EventPath] {
        let cells = Dimension.allCases.flatMap { dimension in Sign.allCases.map { (dimension, $0) } }
        // Each cell's event hours on the grid with a close, ascending, each once.
        let hours: [[Int]] = cells.map { dimension, sign in
            Set(events.filter { $0.dimension == dimension && $0.sign == sign }.compactMap { grid.index($0.triggeredAt) })
                .filter { grid.closes[$0] != nil }.sorted()
        }
        let draws: [BlockBootstrap.Draws?] = cells.indices.map { c in
            guard grid.hours > 0, !hours[c].isEmpty else { return nil }
            return BlockBootstrap.Draws(hours: grid.hours, resamples: settings.resamples,
                                        seed: Bootstrap.seed(settings.seed, cell: name(symbol, cells[c].0, cells[c].1)))
        }
        var points = [[Point]](repeating: [], count: cells.count)
        for offset in offsets {
            let returns = ReturnGrid(grid, offset: offset)
            let baselineMean = returns.mean
            for c in cells.indices {
                let values = hours[c].compactMap { t in grid.change(from: t, by: offset).map { (hour: t, value: $0) } }
                let clusters = Overlap.firstOfClusters(values.map { grid.start + Millis($0.hour) * Time.hour }).count
                let mean = values.isEmpty ? nil : ReturnStatistics.mean(values.map(\.value))
                var band: BootstrapInterval? = nil
                if offset == 0 {
                    // The anchor: every path is 0 at the event hour's close, exactly.
                    if grid.hours >= CellTest.minimumBlocks * BlockBootstrap.blockHours && clusters >= CellTest.minimumClusters {
                        band = BootstrapInterval(low: 0, high: 0)
                    }
                } else if let draws = draws[c] {
                    band = CellTest(events: values, clusters: clusters, returns: returns, draws: draws)?.interval
                }
                points[c].append(Point(offset: offset, events: values.count, clusters: clusters, mean: mean,
                                       baselineMean: baselineMean, band: band))
            }
        }
        return cells.indices.map { c in
            EventPath(symbol: symbol, dimension: cells[c].0, sign: cells[c].1, eventHours: hours[c].count, points: points[c])
        }
    }
}
