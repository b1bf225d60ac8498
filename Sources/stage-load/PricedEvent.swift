import Common

/// What makes two lines, or two rows, the same event: the table's unique key.
struct EventKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Short form, as stored: `BTC`.
    let symbol: String
    let dimension: String
    let windowDays: Int
    let triggeredAt: Millis

    static func < (a: EventKey, b: EventKey) -> Bool {
        (a.symbol, a.dimension, a.windowDays, a.triggeredAt) < (b.symbol, b.dimension, b.windowDays, b.triggeredAt)
    }

    var description: String { "\(symbol) \(dimension) \(windowDays) d at \(triggeredAt)" }
}

/// The close at the event and 4, 12, 24 and 48 hours later; nil while that kline
/// is not in the data yet.
struct Prices: Equatable, Sendable {
    var atTrigger: Double?
    var after4h: Double?
    var after12h: Double?
    var after24h: Double?
    var after48h: Double?

    /// In the table's column order (`EventsTable.prices`).
    var ordered: [Double?] { [atTrigger, after4h, after12h, after24h, after48h] }

    var knownCount: Int { ordered.count(where: { $0 != nil }) }

    /// These prices, each unknown one taken from `earlier`: a load fills what was
    /// missing and never forgets a price it had.
    func filling(from earlier: Prices) -> Prices {
        Prices(atTrigger: atTrigger ?? earlier.atTrigger,
               after4h: after4h ?? earlier.after4h,
               after12h: after12h ?? earlier.after12h,
               after24h: after24h ?? earlier.after24h,
               after48h: after48h ?? earlier.after48h)
    }
}

/// One line of `prices/SYM.jsonl`: an extreme event and the prices after it.
struct PricedEvent: Equatable, Sendable {
    var key: EventKey
    var value: Double
    var percentile: Double
    var prices: Prices

    /// SPEC's dimensions, in the order reports list them.
    static let dimensions = Dimension.allCases.map(\.rawValue)
    /// SPEC's windows, in days.
    static let windows = [7, 30, 90]
}
