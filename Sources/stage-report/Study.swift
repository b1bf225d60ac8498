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
    /// The first events of their clusters (`Overlap`) that have a return at this horizon.
    let independentEvents: Int
    /// Their mean return.
    let independentMean: Double?
    /// `independentMean` minus the baseline's mean.
    let difference: Double?
    /// The 95 % bootstrap interval of `difference`.
    let interval: BootstrapInterval?

    /// `BTC flow_1h 7 positive 4`: the cell's name, which seeds its bootstrap.
    var cellName: String { Self.cellName(symbol, dimension, windowDays, sign, horizonHours) }

    static func cellName(_ symbol: Symbol, _ dimension: Dimension, _ windowDays: Int, _ sign: Sign, _ horizonHours: Int) -> String {
        "\(symbol.short) \(dimension.rawValue) \(windowDays) \(sign.rawValue) \(horizonHours)"
    }
}

/// The events of one symbol, their groups' statistics and the symbol's baseline.
struct SymbolStudy: Sendable {
    let symbol: Symbol
    /// Relative to the cache, for the page: `prices/BTCUSDT.jsonl`.
    let pricesFile: String
    let events: [PricedEvent]
    let baseline: Baseline
    /// Rows in the order of summary.csv: dimension (SPEC's order), window, sign, horizon.
    let rows: [SummaryRow]
    /// Events whose value has no direction (0, or a ratio of exactly 1), by dimension and window.
    let directionless: [Dimension: [Int: Int]]

    init(symbol: Symbol, pricesFile: String, events: [PricedEvent], baseline: Baseline,
         windows: [Int], resamples: Int, seed: UInt64) {
        self.symbol = symbol
        self.pricesFile = pricesFile
        self.events = events
        self.baseline = baseline

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

        var rows: [SummaryRow] = []
        for dimension in Dimension.allCases {
            for windowDays in windows {
                for sign in Sign.allCases {
                    // In time order; events of the same hour (there should be none) keep their file order.
                    let group = (groups[dimension]?[windowDays]?[sign] ?? []).enumerated()
                        .sorted { ($0.element.triggeredAt, $0.offset) < ($1.element.triggeredAt, $1.offset) }.map(\.element)
                    let kept = Overlap.firstOfClusters(group.map(\.triggeredAt))
                    let returns = group.map(\.forwardReturns)
                    for (h, hours) in Horizon.hours.enumerated() {
                        let all = returns.compactMap { $0[h] }
                        let independent = kept.compactMap { returns[$0][h] }
                        let baselineStatistics = baseline.statistics[h]
                        let independentMean = independent.isEmpty ? nil : ReturnStatistics.mean(independent)
                        var difference: Double? = nil
                        var interval: BootstrapInterval? = nil
                        if let baselineMean = baselineStatistics.mean, let independentMean {
                            difference = independentMean - baselineMean
                            let name = SummaryRow.cellName(symbol, dimension, windowDays, sign, hours)
                            interval = Bootstrap.meanInterval(independent, resamples: resamples,
                                                              seed: Bootstrap.seed(seed, cell: name))?.shifted(by: -baselineMean)
                        }
                        rows.append(SummaryRow(symbol: symbol, dimension: dimension, windowDays: windowDays, sign: sign,
                                               horizonHours: hours, events: group.count, returns: ReturnStatistics(all),
                                               baseline: baselineStatistics, independentEvents: independent.count,
                                               independentMean: independentMean, difference: difference, interval: interval))
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
}

/// Everything the report shows: every symbol's study, the windows and how the
/// intervals were drawn.
struct Study: Sendable {
    /// The windows stage-detect uses by default; a report always has their rows.
    static let defaultWindows = [7, 30, 90]

    let symbols: [SymbolStudy]
    let windows: [Int]
    let resamples: Int
    let seed: UInt64

    /// `inputs` holds each symbol's events and closes, in the order the symbols were given.
    init(_ inputs: [(symbol: Symbol, pricesFile: String, events: [PricedEvent], baseline: Baseline)],
         resamples: Int = Bootstrap.defaultResamples, seed: UInt64 = Bootstrap.defaultSeed) {
        let windows = Set(Self.defaultWindows).union(inputs.flatMap { $0.events.map(\.windowDays) }).sorted()
        self.windows = windows
        self.resamples = resamples
        self.seed = seed
        symbols = inputs.map {
            SymbolStudy(symbol: $0.symbol, pricesFile: $0.pricesFile, events: $0.events, baseline: $0.baseline,
                        windows: windows, resamples: resamples, seed: seed)
        }
    }

    var rows: [SummaryRow] { symbols.flatMap(\.rows) }

    var eventCount: Int { symbols.reduce(0) { $0 + $1.events.count } }

    /// Reads each symbol's `prices/SYM.jsonl` and the closes of its verified 1h klines.
    static func read(_ symbols: [Symbol], in layout: CacheLayout,
                     resamples: Int = Bootstrap.defaultResamples, seed: UInt64 = Bootstrap.defaultSeed) throws -> Study {
        var inputs: [(symbol: Symbol, pricesFile: String, events: [PricedEvent], baseline: Baseline)] = []
        for symbol in symbols {
            let events = try PricesFile.read(layout.prices(symbol), symbol: symbol)
            let listing = layout.fileList(symbol)
            guard FileSystem.exists(listing) else {
                throw DataError(file: listing, "no such file; stage-download writes it with the symbol's 1h klines (make download SYMBOL=\(symbol.short))")
            }
            let closes = try HourlyCloses.read(symbol, in: layout)
            if let bad = closes.closes.filter({ !($0.value > 0) }).min(by: { $0.key < $1.key }) {
                throw DataError(file: listing, "the 1h kline opening at \(Display.time(bad.key)) has close \(NumberFormat.shortest(bad.value)); a close must be above 0 (re-download that file: a fresh make download)")
            }
            inputs.append((symbol, "prices/\(symbol.full).jsonl", events, Baseline(closes)))
        }
        return Study(inputs, resamples: resamples, seed: seed)
    }
}
