import Common

/// Common's, not Foundation's unit of measure of the same name.
typealias Dimension = Common.Dimension

/// How the report names the dimensions and their directions (the type is Common's, in
/// SPEC's order: the order of the report's tables, charts and summary.csv).
extension Dimension {
    /// What the series measures, for headings.
    var title: String {
        switch self {
        case .flow_1h: return "net USD flow of large trades in the hour"
        case .oi_change_1h: return "change of open interest over the hour"
        case .funding_rate: return "funding rate at a settlement"
        case .top_position_ratio: return "top traders' long/short position ratio"
        case .global_account_ratio: return "long/short account ratio of all traders"
        case .taker_ratio: return "taker buy/sell volume ratio"
        }
    }

    /// What a positive and a negative event are, in the dimension's own terms.
    func meaning(of sign: Sign) -> String {
        switch (self, sign) {
        case (.flow_1h, .positive): return "net buying"
        case (.flow_1h, .negative): return "net selling"
        case (.oi_change_1h, .positive): return "open interest up"
        case (.oi_change_1h, .negative): return "open interest down"
        case (.funding_rate, .positive): return "longs pay"
        case (.funding_rate, .negative): return "shorts pay"
        case (_, .positive): return "ratio above 1"
        case (_, .negative): return "ratio below 1"
        }
    }
}

/// The direction of an event. The value's sign for flow, open interest and
/// funding; for the ratios the sign of ln(value), that is above or below 1, the
/// same score stage-detect ranked them by. A value of exactly 0 (a ratio of
/// exactly 1) has no direction: such an event is in neither group and the
/// report counts it apart.
enum Sign: String, CaseIterable, Sendable {
    case positive
    case negative

    init?(of value: Double, _ dimension: Dimension) {
        let pivot = dimension.isRatio ? 1.0 : 0.0
        if value > pivot {
            self = .positive
        } else if value < pivot {
            self = .negative
        } else {
            return nil
        }
    }
}
