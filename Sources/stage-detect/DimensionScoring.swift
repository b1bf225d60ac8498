import Common

/// How stage-detect ranks and names the dimensions (the type is Common's).
extension Dimension {
    /// What a value is ranked by.
    enum Scoring: Sendable {
        /// The value itself.
        case value
        /// ln(value): a ratio of 2 and one of 0.5 are equally extreme; a value ≤ 0 has no score.
        case logarithm
    }

    var scoring: Scoring { isRatio ? .logarithm : .value }

    /// Parses `flow_1h,taker_ratio`: known names, each once, at least one.
    static func list(_ text: String) throws -> [Dimension] {
        var result: [Dimension] = []
        for word in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = word.trimmingSpaces
            guard let dimension = Dimension(rawValue: name) else {
                throw UsageError("--dimensions: '\(name)' is not a dimension; expected a comma list of \(names)")
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
