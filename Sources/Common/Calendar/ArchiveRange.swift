/// The days the pipeline covers (SPEC "The range"): from the 1st of the month that
/// contains END − DAYS up to END, exclusive. Whole calendar months, so that a
/// month's threshold never depends on the day the pipeline runs; only END's own
/// month is partial.
public struct ArchiveRange: Hashable, Sendable, CustomStringConvertible {
    /// The first day in the range, always the 1st of a month.
    public let start: Day
    /// The first day NOT in the range.
    public let end: Day

    public init(end: Day, days: Int) {
        precondition(days >= 1, "DAYS must be at least 1")
        self.end = end
        self.start = end.adding(days: -days).month.firstDay
    }

    /// The months that have at least one day in the range, in order.
    public var months: [Month] {
        guard start < end else { return [] }
        let last = end.adding(days: -1).month
        return Array(sequence(first: start.month) { $0 < last ? $0.next : nil })
    }

    /// The days of `month` that lie in the range.
    public func days(of month: Month) -> Range<Day> {
        let lower = max(month.firstDay, start)
        return lower..<max(lower, min(month.next.firstDay, end))
    }

    /// A month is complete when its last day is before END: its monthly file can exist.
    public func isComplete(_ month: Month) -> Bool { month.next.firstDay <= end }

    public var description: String { "[\(start), \(end))" }
}
