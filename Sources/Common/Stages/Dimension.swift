/// The six hourly series of SPEC "Dimensions", in SPEC's order, named as their files
/// (`series/SYM/flow_1h.csv`), the events and the database spell them.
public enum Dimension: String, CaseIterable, Comparable, Sendable {
    case flow_1h
    case oi_change_1h
    case funding_rate
    case top_position_ratio
    case global_account_ratio
    case taker_ratio

    /// The three long/short ratios: ranked by ln(value), so their direction is above or
    /// below 1, and a value ≤ 0 has no score.
    public var isRatio: Bool {
        switch self {
        case .flow_1h, .oi_change_1h, .funding_rate: return false
        case .top_position_ratio, .global_account_ratio, .taker_ratio: return true
        }
    }

    /// The names as a list for messages: `flow_1h, oi_change_1h, …`.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Ordered as a sort key by name, byte for byte (`flow_1h` < `funding_rate` <
    /// `global_account_ratio` < …), as `sort`, SQL's ORDER BY and Python's `sorted` order
    /// the field: the order of events in `events/SYM.jsonl`.
    public static func < (a: Dimension, b: Dimension) -> Bool { a.rawValue < b.rawValue }
}
