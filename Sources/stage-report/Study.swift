import Common

/// One row of summary.csv: what price did after the events of one symbol,
/// dimension, window and sign, at one horizon, next to every hour's.
struct SummaryRow: Equatable, Sendable {
    let symbol: Symbol
    let dimension: Dimension
    let windowDays: Int
    let sign: Sign
    let horizonHours: Int
    /// Every event of the group, with a price or not.
    let events: Int
    /// Over the events that have a return at this horizon (`count` of them).
    let returns: ReturnStatistics
    let baseline: ReturnStatistics
    /// The 48 h clusters (`Overlap`) of the events with a return at this horizon.
    let clusters: Int
    /// The events' mean return minus the baseline's mean.
    let difference: Double?
    /// The interval and p-value of `difference` (`CellTest`); nil with too little data.
    let test: CellTest?
    /// `test`'s p-value adjusted over every cell of the report (`FalseDiscovery`).
    var qValue: Double? = nil
    /// A round trip's taker fees as a fraction of the notional (2 × fee per side).
    let roundTripFee: Double

    var interval: BootstrapInterval? { test?.interval }
    var pValue: Double? { test?.pValue }

    /// In the page's headline: its q-value is at most `FalseDiscovery.level`.
    var isFinding: Bool { qValue.map { $0 <= FalseDiscovery.level } ?? false }

    /// |difference| − a round trip's fees: what a trade in the difference's direction
    /// (long after a positive one, short after a negative one) would keep of it on
    /// average; negative when the fees are larger than the difference.
    var edgeAfterFees: Double? { difference.map { abs($0) - roundTripFee } }

    /// `BTC flow_1h 7 positive 4`: the cell's name, which seeds its bootstrap.
    var cellName: String { Self.cellName(symbol, dimension, windowDays, sign, horizonHours) }

    static func cellName(_ symbol: Symbol, _ dimension: Dimension, _ windowDays: Int, _ sign: Sign, _ horizonHours: Int) -> String {
        "\(symbol.short) \(dimension.rawValue) \(windowDays) \(sign.rawValue) \(horizonHours)"
    }
}

/// How the report's numbers are drawn: the same settings give the same report, bit for bit.
struct StudySettings: Sendable {
    var resamples = BlockBootstrap.defaultResamples
    var seed = Bootstrap.defaultSeed
    /// Taker fee per side, in basis points (USD-M's default taker fee is 5).
    var feeBps = 5.0

    var roundTripFee: Double { 2 * feeBps / 10_000 }
}

/// The events of one symbol, their groups' statistics and the symbol's baseline.
struct SymbolStudy: Sendable {
    let symbol: Symbol
    /// Relative to the cache, for the page: `prices/BTCUSDT.jsonl`.
    let pricesFile: String
    let events: [PricedEvent]
    let baseline: Baseline
    /// `Study.defaultWindows` and every window of the events, ascending.
    let windows: [Int]
    /// Rows in the order of summary.csv: dimension (SPEC's order), window, sign, horizon.
    var rows: [SummaryRow]
    /// Events whose value has no direction (0, or a ratio of exactly 1), by dimension and window.
    let directionless: [Dimension: [Int: Int]]
    /// The price around the events, per dimension and sign (`EventPath`), in the order of event_path.csv.
    let paths: [EventPath]

    /// Computes the rows and the paths; when given (from an earlier pass), they are taken as they are.
    init(symbol: Symbol, pricesFile: String, events: [PricedEvent], baseline: Baseline,
         settings: StudySettings, rows given: [SummaryRow]? = nil, paths givenPaths: [EventPath]? = nil) {
        self.symbol = symbol
        self.pricesFile = pricesFile
        self.events = events
        self.baseline = baseline
        let windows = Set(Study.defaultWindows).union(events.map(\.windowDays)).sorted()
        self.windows = windows

        var groups: [Dimension: [Int: [Sign: [PricedEvent]]]] = [:]
        var directionless: [Dimension: [Int: Int]] = [:]
        for event in events {
            if let sign = event.sign {
                groups[event.dimension, default: [:]][event.windowDays, default: [:]][sign, default: []].append(event)
            } else {
                directionless[event.dimension, default: [:]][event.windowDays, default: 0] += 1
            }
        }
        self.directionless = directionless
        let hourGrid = HourGrid(baseline)
        paths = givenPaths ?? EventPath.paths(symbol: symbol, events: events, grid: hourGrid, settings: settings)
        if let given {
            rows = given
            return
        }

        let grids = Horizon.hours.map { ReturnGrid(hourGrid, offset: $0) }
        var rows: [SummaryRow] = []
        for dimension in Dimension.allCases {
            for windowDays in windows {
                for sign in Sign.allCases {
                    // In time order; events of the same hour (there should be none) keep their file order.
                    let group = (groups[dimension]?[windowDays]?[sign] ?? []).enumerated()
                        .sorted { ($0.element.triggeredAt, $0.offset) < ($1.element.triggeredAt, $1.offset) }.map(\.element)
                    let returns = group.map(\.forwardReturns)
                    for (h, hours) in Horizon.hours.enumerated() {
                        let priced = group.indices.filter { returns[$0][h] != nil }
                        let all = priced.map { returns[$0][h]! }
                        let clusters = Overlap.firstOfClusters(priced.map { group[$0].triggeredAt }).count
                        let baselineStatistics = baseline.statistics[h]
                        let statistics = ReturnStatistics(all)
                        var difference: Double? = nil
                        var test: CellTest? = nil
                        if let baselineMean = baselineStatistics.mean, let mean = statistics.mean {
                            difference = mean - baselineMean
                            let onGrid = priced.compactMap { i in grids[h].index(group[i].triggeredAt).map { (hour: $0, value: returns[i][h]!) } }
                            let name = SummaryRow.cellName(symbol, dimension, windowDays, sign, hours)
                            test = CellTest(events: onGrid, clusters: clusters, returns: grids[h],
                                            resamples: settings.resamples, seed: Bootstrap.seed(settings.seed, cell: name))
                        }
                        rows.append(SummaryRow(symbol: symbol, dimension: dimension, windowDays: windowDays, sign: sign,
                                               horizonHours: hours, events: group.count, returns: statistics,
                                               baseline: baselineStatistics, clusters: clusters, difference: difference,
                                               test: test, roundTripFee: settings.roundTripFee))
                    }
                }
            }
        }
        self.rows = rows
    }

    /// The rows of one group, one per horizon.
    func rows(_ dimension: Dimension, _ windowDays: Int, _ sign: Sign) -> [SummaryRow] {
        rows.filter { $0.dimension == dimension && $0.windowDays == windowDays && $0.sign == sign }
    }

    /// What the index page and the headline need of the symbol, without its events and closes.
    var overview: SymbolOverview {
        SymbolOverview(symbol: symbol, pricesFile: pricesFile, eventCount: events.count, span: baseline.span,
                       hourCount: baseline.hours.count, missingHours: baseline.missingHours,
                       firstEvent: events.map(\.triggeredAt).min(), lastEvent: events.map(\.triggeredAt).max(),
                       windows: windows, rows: rows, paths: paths)
    }

    /// Reads the symbol's `prices/SYM.jsonl` and the closes of its verified 1h klines.
    static func read(_ symbol: Symbol, in layout: CacheLayout, settings: StudySettings,
                     rows: [SummaryRow]? = nil, paths: [EventPath]? = nil) throws -> SymbolStudy {
        let events = try PricesFile.read(layout.prices(symbol), symbol: symbol)
        let fileList = layout.fileList(symbol)
        guard FileSystem.exists(fileList) else {
            throw DataError(file: fileList, "no such file; stage-download writes it with the symbol's 1h klines (make download SYMBOL=\(symbol.short))")
        }
        let closes = try HourlyCloses.read(symbol, in: layout)
        if let bad = closes.closes.filter({ !($0.value > 0) }).min(by: { $0.key < $1.key }) {
            throw DataError(file: fileList, "the 1h kline opening at \(Display.time(bad.key)) has close \(NumberFormat.shortest(bad.value)); a close must be above 0 (re-download that file: a fresh make download)")
        }
        return SymbolStudy(symbol: symbol, pricesFile: "prices/\(symbol.full).jsonl", events: events, baseline: Baseline(closes),
                           settings: settings, rows: rows, paths: paths)
    }
}

/// A symbol as the index page and the headline see it: its rows and a few counts.
struct SymbolOverview: Sendable {
    let symbol: Symbol
    let pricesFile: String
    let eventCount: Int
    let span: Range<Millis>?
    let hourCount: Int
    let missingHours: Int
    let firstEvent: Millis?
    let lastEvent: Millis?
    let windows: [Int]
    var rows: [SummaryRow]
    let paths: [EventPath]
}

/// Everything one page shows: every symbol's study (few symbols) and the settings.
struct Study: Sendable {
    /// The windows stage-detect uses by default; a report always has their rows.
    static let defaultWindows = WindowDays.standard

    var symbols: [SymbolStudy]
    let settings: StudySettings

    /// `inputs` holds each symbol's events and closes, in the order the symbols were
    /// given; the q-values are adjusted over every symbol's cells.
    init(_ inputs: [(symbol: Symbol, pricesFile: String, events: [PricedEvent], baseline: Baseline)],
         settings: StudySettings = StudySettings()) {
        self.settings = settings
        symbols = inputs.map {
            SymbolStudy(symbol: $0.symbol, pricesFile: $0.pricesFile, events: $0.events, baseline: $0.baseline, settings: settings)
        }
        var rows = symbols.map(\.rows)
        Self.adjust(&rows)
        for i in symbols.indices { symbols[i].rows = rows[i] }
    }

    init(symbols: [SymbolStudy], settings: StudySettings) {
        self.symbols = symbols
        self.settings = settings
    }

    var rows: [SummaryRow] { symbols.flatMap(\.rows) }

    var eventCount: Int { symbols.reduce(0) { $0 + $1.events.count } }

    var overviews: [SymbolOverview] { symbols.map(\.overview) }

    /// Sets every row's q-value: Benjamini–Hochberg over the p-values of all rows of all symbols.
    static func adjust(_ rows: inout [[SummaryRow]]) {
        let q = FalseDiscovery.qValues(rows.flatMap { $0.map(\.pValue) })
        var k = 0
        for i in rows.indices {
            for j in rows[i].indices {
                rows[i][j].qValue = q[k]
                k += 1
            }
        }
    }
}
