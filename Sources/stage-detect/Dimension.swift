import Common

/// The six hourly series of SPEC "Dimensions", named as their files are
/// (`series/SYM/flow_1h.csv`) and as events spell them.
enum Dimension: String, CaseIterable, Comparable, Sendable {
    case flow_1h
    case oi_change_1h
    case funding_rate
    case top_position_ratio
    case global_account_ratio
    case taker_ratio

    /// What a value is ranked by.
    enum Scoring: Sendable {
        /// The value itself.
        case value
        /// ln(value): a ratio of 2 and one of 0.5 are equally extreme; a value ≤ 0 has no score.
        case logarithm
    }

    var scoring: Scoring {
        switch self {
        case .flow_1h, .oi_change_1h, .funding_rate: return .value
        case .top_position_ratio, .global_account_ratio, .taker_ratio: return .logarithm
        }
    }

    /// Events are ordered by dimension as a sort key: by its name, byte for byte
    /// (`flow_1h` < `funding_rate` < `global_account_ratio` < `oi_change_1h` < …),
    /// as `sort`, SQL's ORDER BY and Python's `sorted` order the field.
    static func < (a: Dimension, b: Dimension) -> Bool { a.positionByName < b.positionByName }

    private static let byName = allCases.sorted { $0.rawValue < $1.rawValue }
    private var positionByName: Int { Self.byName.firstIndex(of: self)! }

    /// Parses `flow_1h,taker_ratio`: known names, each once, at least one.
    static func list(_ text: String) throws -> [Dimension] {
        var result: [Dimension] = []
        for word in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = word.trimmingSpaces
            guard let dimension = Dimension(rawValue: name) else {
                throw UsageError("--dimensions: '\(name)' is not a dimension; expected a comma list of \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !result.contains(dimension) { result.append(dimension) }
        }
        return result
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
