/// The days a symbol traded, as the listing of its own klines folders shows them
/// (`daily/klines/SYM/1h/` and `monthly/klines/SYM/1h/`), seen from one range: a
/// symbol listed after the range start trades from its first file; one delisted
/// before END stops after its last. Days outside are not "missing": the download
/// plans no file for them (SPEC "Quirks": symbols come and go).
///
/// Stored as `download/SYM/trading.csv` (`first_day,last_day`, either empty when the
/// symbol trades across that end of the range) for later runs and `pipeline status`.
public struct TradingSpan: Equatable, Sendable {
    /// The first day it traded, when inside the range; nil: from the range start.
    public var first: Day?
    /// The last day it traded, when it stopped inside the range; nil: up to END.
    public var last: Day?

    public init(first: Day? = nil, last: Day? = nil) {
        self.first = first
        self.last = last
    }

    /// Files published this many days before END or later mean "still trading": the
    /// archive publishes daily files up to a week late, so a silence shorter than
    /// that is lateness, not a delisting.
    public static let lateness = 7

    /// From the days and months of the symbol's 1h klines files. Months count from
    /// their 1st to their last day, except where daily files of the same month say
    /// more exactly when trading began or ended. nil when there is no file at all.
    public static func from(days: [Day], months: [Month], range: ArchiveRange) -> TradingSpan? {
        let firstDay = days.min(), lastDay = days.max()
        let firstMonth = months.min(), lastMonth = months.max()
        var begin: Day?
        switch (firstDay, firstMonth) {
        case let (d?, m?): begin = d.month <= m ? d : m.firstDay
        case let (d?, nil): begin = d
        case let (nil, m?): begin = m.firstDay
        case (nil, nil): return nil
        }
        var end: Day?
        switch (lastDay, lastMonth) {
        case let (d?, m?): end = d.month >= m ? d : m.next.firstDay.adding(days: -1)
        case let (d?, nil): end = d
        case let (nil, m?): end = m.next.firstDay.adding(days: -1)
        case (nil, nil): end = nil
        }
        var span = TradingSpan()
        if let begin, begin > range.start { span.first = begin }
        if let end, end.adding(days: TradingSpan.lateness) < range.end { span.last = end }
        return span
    }

    /// Whether `day` is one the symbol traded (and the plan asks for).
    public func contains(_ day: Day) -> Bool {
        (first.map { day >= $0 } ?? true) && (last.map { day <= $0 } ?? true)
    }

    /// Whether any day of `month` is one the symbol traded.
    public func overlaps(_ month: Month) -> Bool {
        (first.map { month.next.firstDay > $0 } ?? true) && (last.map { month.firstDay <= $0 } ?? true)
    }

    /// Whether the span cuts the range at all.
    public var isWholeRange: Bool { first == nil && last == nil }

    /// Whether it traded at all inside `range`.
    public func tradesIn(_ range: ArchiveRange) -> Bool {
        (first.map { $0 < range.end } ?? true) && (last.map { $0 >= range.start } ?? true)
    }

    public static let header = "first_day,last_day"

    public var text: String { "\(Self.header)\n\(first.map(\.description) ?? ""),\(last.map(\.description) ?? "")\n" }

    public init(parsing text: String, path: String) throws {
        let rows = try ListingRows.parse(text, path: path, header: Self.header, fields: 2)
        guard rows.count == 1 else { throw DataError(file: path, "expected one line after the header, got \(rows.count)") }
        func day(_ field: String) throws -> Day? {
            if field.isEmpty { return nil }
            guard let day = Day(field) else { throw DataError(file: path, line: 2, "'\(field)' is not a day YYYY-MM-DD") }
            return day
        }
        self.init(first: try day(rows[0].fields[0]), last: try day(rows[0].fields[1]))
    }

    public static func read(_ path: String) throws -> TradingSpan {
        try TradingSpan(parsing: FileSystem.readText(path), path: path)
    }

    /// For messages: "listed 2024-02-10", "delisted after 2024-03-11", both, or "".
    public var summary: String {
        [first.map { "listed \($0)" }, last.map { "last traded \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }
}
